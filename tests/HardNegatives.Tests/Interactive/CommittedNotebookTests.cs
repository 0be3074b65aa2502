using System.Text.Json.Nodes;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

/// <summary>The committed notebooks: clean (nbformat 4.5, ids, languages, no machine paths, small) and run in mini mode.</summary>
public class CommittedNotebookTests
{
    static string NotebooksDir => Path.Combine(KitFormattersTests.RepoRoot(), "notebooks");

    public static TheoryData<string> Notebooks() => RealKernelNotebookTests.Notebooks();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CommittedNotebook_IsClean_HasMarkdown_AParametersCellFirst_AndTheOutputsOfARun(string name)
    {
        var path = Path.Combine(NotebooksDir, name + ".ipynb");
        var notebook = NotebookDocument.Load(path);
        var code = notebook.Cells.Where(c => c.CellType == "code").ToList();
        Assert.True(code[0].IsParameters, $"{name}: the first code cell must be tagged \"parameters\"");
        Assert.Contains("HN_NOTEBOOK_MODE", code[0].Source);
        Assert.Contains("\"mini\"", code[0].Source);
        Assert.Contains("#r \"nuget: HardNegatives.Interactive, 0.1.0\"", code[1].Source);
        Assert.DoesNotContain("#i ", string.Concat(code.Select(c => c.Source)));
        Assert.True(notebook.Cells.Count(c => c.CellType == "markdown") >= code.Count / 2, $"{name}: explain the steps in Markdown");
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(4, json["nbformat"]!.GetValue<int>());
        Assert.Equal(5, json["nbformat_minor"]!.GetValue<int>());
        var language = json["metadata"]!["language_info"]!["name"]!.GetValue<string>();
        Assert.Equal(name.StartsWith("08-", StringComparison.Ordinal) ? "fsharp" : "csharp", language);
        var cells = ((JsonArray)json["cells"]!).OfType<JsonObject>().ToList();
        Assert.All(cells, c => Assert.Matches("^[A-Za-z0-9_-]{1,64}$", c["id"]!.GetValue<string>()));
        Assert.Equal(cells.Count, cells.Select(c => c["id"]!.GetValue<string>()).Distinct().Count());
        var codeJson = cells.Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.All(codeJson, c => Assert.NotNull(c["execution_count"]));
        Assert.True(code.Count(c => c.Outputs.Count > 0) * 2 >= code.Count, $"{name}: commit it with the outputs of `hn notebook run notebooks/{name}.ipynb`");
        var text = File.ReadAllText(path);
        Assert.DoesNotContain("dotnet-interactive-this-cell", text);
        Assert.DoesNotContain(NotebookHygiene.ExtensionLoadNotice, text);   // names the NuGet cache of the machine that ran it
        Assert.DoesNotContain("/root/", text);
        Assert.DoesNotContain("/tmp/", text);
        Assert.True(new FileInfo(path).Length < 1_100_000, $"{name} is {new FileInfo(path).Length:N0} bytes; commit it cleaned (hn notebook run), plotly.js referenced, not embedded");
    }
}
