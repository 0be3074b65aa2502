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
    public async Task Magics_MineWithACrossEncoder_GenerateThroughAServer_AndTrainOnTheGeneratedNegatives()
    {
        RealKernel.Require();
        var dir = NewNotebookFolder();
        var ce = Path.Combine(dir, "random-ce");
        using (var random = HardNegatives.Tests.Models.CrossEncoderTests.RandomCrossEncoder(7)) random.Save(ce);
        var corpus = HardNegatives.Data.DatasetLocator.Open("scifact").StreamCorpus().Skip(300).Take(20).Select(d => d.FullText).ToList();
        // A scripted OpenAI-compatible stand-in in this process (other SciFact abstracts, not model output); the kernel reaches it on loopback.
        await using var server = new HardNegatives.Generation.LoopbackChatServer(request => HardNegatives.Generation.LoopbackChatReply.Ok(
            System.Text.Json.JsonSerializer.Serialize(new { negatives = new[] { corpus[request.Number % corpus.Count], corpus[(request.Number + 5) % corpus.Count] } })));
        var generator = "kernel-stand-in-" + Guid.NewGuid().ToString("N")[..8];
        var path = TestNotebooks.Write(dir, "ce-and-llm.ipynb",
            TestNotebooks.Code("#r \"nuget: HardNegatives.Interactive, 0.1.0\"\nusing HardNegatives.Interactive;"),
            TestNotebooks.Code($"#!hn-mine cross-encoder --dataset scifact --model \"{ce}\" --num-negatives 1 --limit 3 --name ceNegatives"),
            TestNotebooks.Code("$\"ce-source={ceNegatives.Source} queries={ceNegatives.Summary.Queries}\""),
            TestNotebooks.Code($"#!hn-generate --dataset scifact --model {generator} --endpoint {server.BaseUri} --num-negatives 2 --limit 3 --concurrency 1 --name llm"),
            TestNotebooks.Code("$\"llm-triples={llm.Triples.Count} negatives={llm.Triples.Sum(t => t.Negatives.Count)}\""),
            TestNotebooks.Code("#!hn-train --triples llm --max-steps 2"),
            TestNotebooks.Code("$\"steps={model.Result.Steps}\""));
        var (_, all) = await RunAsync(path);
        Assert.Contains($"ce-source={HardNegatives.Mining.CrossEncoderNegativeMiner.Source} queries=3", all);
        Assert.Contains("ce negatives · scifact", all);
        Assert.Contains("llm-triples=3 negatives=6", all);
        Assert.Contains($"llm:{generator} negatives · scifact · 3 triples", all);
        Assert.Equal(3, server.Hits);
        Assert.Contains("steps=2", all);
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
