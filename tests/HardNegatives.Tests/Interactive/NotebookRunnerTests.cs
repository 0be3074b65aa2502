using System.Text.Json.Nodes;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

public class NotebookRunnerTests
{
    static JsonObject Load(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    [Fact]
    public async Task CSharpCells_CarryState_DisplayAndTrailingValue()
    {
        var dir = TestNotebooks.TempDir();
        var nb = TestNotebooks.Write(dir, "a.ipynb",
            TestNotebooks.Markdown("# title"),
            TestNotebooks.Code("#r \"nuget: HardNegatives.Interactive\"\nvar mode = \"mini\";\nvar n = 2;", tags: "parameters"),
            TestNotebooks.Code("Console.WriteLine($\"mode={mode} n={n}\");\ndisplay(new HardNegatives.Interactive.Formatting.TrainingCurve(\"run\", [new(1, 2.0), new(2, 1.0)]));\nn * 21"));
        var result = await NotebookRunner.RunAsync(nb, new NotebookRunOptions(new Dictionary<string, string> { ["mode"] = "full", ["n"] = "3" }, Path.Combine(dir, "out.ipynb")));
        Assert.Equal(2, result.CodeCells);
        var json = Load(result.OutputPath);
        var outputs = (JsonArray)json["cells"]![2]!["outputs"]!;
        Assert.Equal("stream", outputs[0]!["output_type"]!.GetValue<string>());
        Assert.Contains("mode=full n=3", TestNotebooks.OutputText(json, 2));
        Assert.Equal("display_data", outputs[1]!["output_type"]!.GetValue<string>());
        Assert.Contains("<svg", outputs[1]!["data"]!["text/html"]!.GetValue<string>());
        Assert.Equal("execute_result", outputs[2]!["output_type"]!.GetValue<string>());
        Assert.Equal("63", outputs[2]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal(2, json["cells"]![2]!["execution_count"]!.GetValue<int>());
        Assert.Contains("parameters overridden: mode=full, n=3", TestNotebooks.OutputText(json, 1));
    }

    [Fact]
    public async Task FailingCell_StopsWithIndexLineAndSource()
    {
        var dir = TestNotebooks.TempDir();
        var nb = TestNotebooks.Write(dir, "b.ipynb",
            TestNotebooks.Code("var xs = new int[2];"),
            TestNotebooks.Code("var a = 1;\nvar b = xs[5];\nConsole.WriteLine(b);"),
            TestNotebooks.Code("Console.WriteLine(\"never\");"));
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => NotebookRunner.RunAsync(nb, new NotebookRunOptions(OutputPath: Path.Combine(dir, "out.ipynb"))));
        Assert.Equal(1, e.CellIndex);
        Assert.Equal(2, e.Line);
        Assert.Contains("IndexOutOfRangeException", e.Message);
        Assert.Contains("var b = xs[5];", e.Message);
        var json = Load(Path.Combine(dir, "out.ipynb"));
        Assert.Contains("\"output_type\":\"error\"", TestNotebooks.OutputText(json, 1));
        Assert.Empty((JsonArray)json["cells"]![2]!["outputs"]!);
    }

    [Fact]
    public async Task CompileError_ReportsLine()
    {
        var dir = TestNotebooks.TempDir();
        var nb = TestNotebooks.Write(dir, "c.ipynb", TestNotebooks.Code("var a = 1;\n\nint b = \"text\";"));
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => NotebookRunner.RunAsync(nb, new NotebookRunOptions(OutputPath: Path.Combine(dir, "out.ipynb"))));
        Assert.Equal(3, e.Line);
        Assert.Contains("CS0029", e.Message);
    }

    [Fact]
    public async Task UnknownPackage_IsRejectedWithCellAndLine()
    {
        var dir = TestNotebooks.TempDir();
        var nb = TestNotebooks.Write(dir, "d.ipynb", TestNotebooks.Code("#i \"nuget: /tmp/feed\"\n#r \"nuget: Newtonsoft.Json, 13.0.1\"\nvar a = 1;"));
        var e = await Assert.ThrowsAsync<NotebookDirectiveException>(() => NotebookRunner.RunAsync(nb, new NotebookRunOptions(OutputPath: Path.Combine(dir, "out.ipynb"))));
        Assert.Equal(0, e.CellIndex);
        Assert.Equal(2, e.Line);
        Assert.Contains("Newtonsoft.Json", e.Message);
    }

    [Fact]
    public async Task UnknownParameter_IsAnError()
    {
        var dir = TestNotebooks.TempDir();
        var nb = TestNotebooks.Write(dir, "e.ipynb", TestNotebooks.Code("var mode = \"mini\";", tags: "parameters"));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => NotebookRunner.RunAsync(nb, new NotebookRunOptions(new Dictionary<string, string> { ["mdoe"] = "full" }, Path.Combine(dir, "out.ipynb"))));
        Assert.Contains("mdoe", e.Message);
        Assert.Contains("mode", e.Message);
    }

    [Fact]
    public async Task FSharpCells_CarryState_Parameters_AndDisplay()
    {
        var dir = TestNotebooks.TempDir();
        var nb = TestNotebooks.Write(dir, "f.ipynb",
            TestNotebooks.Code("let mode = \"mini\"\nlet k = 2", "fsharp", "parameters"),
            TestNotebooks.Code("printfn \"mode=%s\" mode\ndisplay (HardNegatives.Interactive.Formatting.TrainingCurve(\"r\", [| HardNegatives.Interactive.Formatting.CurvePoint(1L, 1.0) |])) |> ignore\nk * 10", "fsharp"));
        var result = await NotebookRunner.RunAsync(nb, new NotebookRunOptions(new Dictionary<string, string> { ["mode"] = "full", ["k"] = "4" }, Path.Combine(dir, "out.ipynb")));
        var json = Load(result.OutputPath);
        var text = TestNotebooks.OutputText(json, 1);
        Assert.Contains("mode=full", text);
        Assert.Contains("<svg", text);
        var outputs = (JsonArray)json["cells"]![1]!["outputs"]!;
        Assert.Equal("40", outputs[^1]!["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task FSharpError_StopsTheRun()
    {
        var dir = TestNotebooks.TempDir();
        var nb = TestNotebooks.Write(dir, "g.ipynb", TestNotebooks.Code("let a = 1\nlet b: string = a", "fsharp"));
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => NotebookRunner.RunAsync(nb, new NotebookRunOptions(OutputPath: Path.Combine(dir, "out.ipynb"))));
        Assert.Equal(2, e.Line);
        Assert.Contains("FS0001", e.Message);
    }
}
