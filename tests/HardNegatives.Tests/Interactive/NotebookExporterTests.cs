using System.Diagnostics;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

public class NotebookExporterTests
{
    static NotebookDocument TinyNotebook(string dir) => NotebookDocument.Load(TestNotebooks.Write(dir, "tiny.ipynb",
        TestNotebooks.Code("var n = 2;\nvar label = \"x\";", tags: "parameters"),
        TestNotebooks.Markdown("## Words\nCount them."),
        TestNotebooks.Code("#r \"nuget: HardNegatives\"\nusing HardNegatives.Data;\nvar words = DatasetStats.WhitespaceTokens(\"a b c\");\nwords * n"),
        TestNotebooks.Code("record Pair(int A, int B);\nConsole.WriteLine($\"label={label}\");\nConsole.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Pair(1, n)));\nnew Pair(1, n)")));

    [Fact]
    public void Export_HoistsUsingsAndTypes_DisplaysTrailingExpressions_AndBindsParameters()
    {
        var source = NotebookExporter.Export(TinyNotebook(TestNotebooks.TempDir()), "../src/HardNegatives.Interactive/HardNegatives.Interactive.csproj");
        var lines = source.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("#!/usr/bin/env dotnet", lines[0]);
        Assert.Equal("#:project ../src/HardNegatives.Interactive/HardNegatives.Interactive.csproj", lines[1]);
        Assert.True(lines.IndexOf("using HardNegatives.Data;") < lines.IndexOf("var n = 2;"), "usings come before statements");
        Assert.Contains("n = HardNegatives.Interactive.Runner.NotebookParameters.Override(args, \"n\", n);", lines);
        Assert.Contains("label = HardNegatives.Interactive.Runner.NotebookParameters.Override(args, \"label\", label);", lines);
        Assert.Contains("display(words * n);", lines);
        Assert.Contains("display(new Pair(1, n));", lines);
        Assert.Contains("// ## Words", lines);
        Assert.DoesNotContain(lines, l => l.Contains("#r \"nuget"));
        Assert.True(lines.IndexOf("record Pair(int A, int B);") > lines.IndexOf("display(new Pair(1, n));"), "types go after the top-level statements");
    }

    [Fact]
    public void Export_RejectsFSharpCells()
    {
        var nb = NotebookDocument.Load(TestNotebooks.Write(TestNotebooks.TempDir(), "f.ipynb", TestNotebooks.Code("let a = 1", "fsharp")));
        var e = Assert.Throws<InvalidOperationException>(() => NotebookExporter.Export(nb, "x.csproj"));
        Assert.Contains("cell 0 is fsharp", e.Message);
    }

    /// <summary>Slower (builds a file-based app, ~20–60 s): the exported file really runs with `dotnet run`.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public async Task ExportedApp_RunsWithDotnetRun_AndTakesParameters()
    {
        var dir = TestNotebooks.TempDir();
        var project = Path.Combine(KitFormattersTests.RepoRoot(), "src", "HardNegatives.Interactive", "HardNegatives.Interactive.csproj");
        var app = Path.Combine(dir, "tiny.cs");
        File.WriteAllText(app, NotebookExporter.Export(TinyNotebook(dir), project));
        var psi = new ProcessStartInfo("dotnet", ["run", app, "--", "n=5", "label=from-args"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"dotnet run failed ({process.ExitCode}):\n{output}\n{await stderr}");
        Assert.Contains("15", output);              // words (3) * n (5)
        Assert.Contains("label=from-args", output);
        Assert.Contains("A: 1", output);
        Assert.Contains("B: 5", output);
        Assert.Contains("{\"A\":1,\"B\":5}", output);   // reflection-based System.Text.Json works (the kit relies on it)
    }
}
