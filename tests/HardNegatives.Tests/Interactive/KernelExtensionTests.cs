using System.Globalization;
using System.Text.Json.Nodes;
using HardNegatives.Interactive;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

/// <summary>
/// The kit's kernel extension in the real .NET Interactive kernel: the magic commands and the <see cref="Hn"/> facade
/// from C#, and the kit's formatters from F#, in small notebooks that load the package from the local feed.
/// </summary>
[Trait("Category", "RealKernel")]
[Collection(NotebookRunsCollection.Name)]
public class KernelExtensionTests
{
    // Inside the clone (artifacts/ is git-ignored): the kernelspec starts `dotnet interactive`, the local tool that
    // .config/dotnet-tools.json pins, which dotnet finds from the notebook's folder upwards.
    static string NewNotebookFolder()
    {
        var dir = Path.Combine(KitFormattersTests.RepoRoot(), "artifacts", "test-notebooks", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var feed = Path.Combine(KitFormattersTests.RepoRoot(), "artifacts", "feed");
        File.WriteAllText(Path.Combine(dir, "NuGet.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><add key=\"hn-test\" value=\"{feed}\" /></packageSources></configuration>\n");
        return dir;
    }

    static async Task<(JsonObject Json, string All)> RunAsync(string path)
    {
        var result = await NbConvertRunner.RunAsync(path, new NbConvertOptions("mini"));
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(result.OutputPath))!;
        var cells = ((JsonArray)json["cells"]!).Count;
        var all = string.Join("\n", Enumerable.Range(0, cells).Select(i => TestNotebooks.OutputText(json, i)));
        Assert.DoesNotContain("\"output_type\":\"error\"", all);
        return (json, all);
    }

    [RealKernelFact]
    public async Task Magics_MineSearchEvalAndReproduce_ShowRichResults_AndLeaveThemInVariables()
    {
        RealKernel.Require();
        var dir = NewNotebookFolder();
        var spec = Path.Combine(KitFormattersTests.RepoRoot(), "experiments", "table1-mini");
        var path = TestNotebooks.Write(dir, "magics.ipynb",
            TestNotebooks.Code("#r \"nuget: HardNegatives.Interactive, 0.1.0\"\nusing HardNegatives.Interactive;"),
            TestNotebooks.Code("#!hn-mine bm25 --dataset scifact --num-negatives 1 --limit 3"),
            TestNotebooks.Code("$\"mined={negatives.Triples.Count} negatives={negatives.Triples.Sum(t => t.Negatives.Count)}\""),
            TestNotebooks.Code("#!hn-search bm25 --dataset scifact --limit 20"),
            TestNotebooks.Code("#!hn-eval --run run --dataset scifact --measure ndcg_cut.10"),
            TestNotebooks.Code("$\"magic-ndcg={evaluation.Summary[0].Value:0.000000}\""),
            TestNotebooks.Code("var facade = await Hn.MineBm25(\"scifact\", numNegatives: 1, limit: 2);\nfacade"),
            TestNotebooks.Code($"#!hn-reproduce {spec}"),
            TestNotebooks.Code("$\"rows={experiment.Table.Rows.Count}\""));
        var (_, all) = await RunAsync(path);
        Assert.Contains("mined=3 negatives=3", all);
        Assert.Contains("hn-card hn-neg", all);             // a triple side by side
        Assert.Contains("bm25 negatives · scifact · 2 triples", all);
        var expected = Hn.Eval(await Hn.SearchBm25("scifact", "test", limit: 20), "scifact", "test", "ndcg_cut.10").Summary[0].Value;
        Assert.Contains($"magic-ndcg={expected.ToString("0.000000", CultureInfo.InvariantCulture)}", all);
        Assert.Contains("hn-results", all);                  // Table 1
        Assert.Contains("table1-mini", all);
        Assert.Matches("rows=[1-9]", all);
    }

    [RealKernelFact]
    public async Task Magics_TrainOnMinedNegatives_ThenDenseSearchAndEvaluate()
    {
        RealKernel.Require();
        var dir = NewNotebookFolder();
        var path = TestNotebooks.Write(dir, "train.ipynb",
            TestNotebooks.Code("#r \"nuget: HardNegatives.Interactive, 0.1.0\"\nusing HardNegatives.Interactive;"),
            TestNotebooks.Code("#!hn-mine bm25 --dataset scifact --num-negatives 1 --limit 64"),
            TestNotebooks.Code("#!hn-train --triples negatives --max-steps 4"),
            TestNotebooks.Code("$\"steps={model.Result.Steps}\""),
            TestNotebooks.Code("#!hn-search dense --model model --dataset scifact --top-k 10"),
            TestNotebooks.Code("#!hn-eval --run run --dataset scifact"),
            TestNotebooks.Code("$\"dense-queries={run.Select(r => r.QueryId).Distinct().Count()}\""));
        var (_, all) = await RunAsync(path);
        Assert.Contains("steps=4", all);
        Assert.Contains("<polyline", all);          // the loss curve
        Assert.Contains("dense-queries=300", all);  // every SciFact test query
        Assert.Contains("ndcg_cut_10", all);
    }

    [RealKernelFact]
    public async Task FSharp_ShowsTheKitsFormatters_AndUsesTheFacade()
    {
        RealKernel.Require();
        var dir = NewNotebookFolder();
        var path = TestNotebooks.Write(dir, "fsharp.ipynb",
            TestNotebooks.Code("#r \"nuget: HardNegatives.Interactive, 0.1.0\"\nopen HardNegatives.Interactive", "fsharp"),
            TestNotebooks.Code("let mined = Hn.MineBm25(\"scifact\", 1, 2) |> Async.AwaitTask |> Async.RunSynchronously\nmined", "fsharp"),
            TestNotebooks.Code("HardNegatives.Data.DatasetStats.Compute(HardNegatives.Data.DatasetLocator.Open \"scifact\")", "fsharp"));
        var nb = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        nb["metadata"]!["kernelspec"] = new JsonObject { ["display_name"] = ".NET (F#)", ["language"] = "F#", ["name"] = ".net-fsharp" };
        File.WriteAllText(path, nb.ToJsonString());
        var (_, all) = await RunAsync(path);
        Assert.Contains("hn-card hn-neg", all);
        Assert.Contains("dataset scifact", all);
    }
}
