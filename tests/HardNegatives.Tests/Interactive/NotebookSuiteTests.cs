using System.Text.Json.Nodes;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

/// <summary>
/// Runs every notebook in notebooks/ in mini mode through the headless runner (slower: ~10–30 s each on 2 cores;
/// filter with <c>Category!=Notebooks</c> to skip) and checks that it completes and shows its key outputs.
/// </summary>
[Trait("Category", "Notebooks")]
[Collection(HardNegatives.Tests.Training.TorchGlobalStateCollection.Name)]   // 05 trains with TorchSharp (global seed and threads)
public class NotebookSuiteTests
{
    static string NotebooksDir => Path.Combine(KitFormattersTests.RepoRoot(), "notebooks");

    /// <summary>Text each notebook's outputs must contain after a mini run (its key results).</summary>
    static readonly Dictionary<string, string[]> KeyOutputs = new()
    {
        ["00-quickstart"] = ["dataset scifact", "Mined bm25 negatives for 10 queries", "hn-card hn-neg", "ndcg_cut_10"],
        ["01-datasets"] = ["dataset scifact", "qrels per split", "test queries and their relevant abstracts", "Plotly.newPlot(", "mini mode: other datasets skipped"],
        ["02-bm25-negatives"] = ["Mined bm25 negatives for 30 queries", "<mark>", "rows →", "ndcg_cut_10", "recall_100"],
        ["03-cross-encoder-negatives"] = ["RANDOM-WEIGHT cross-encoder (mechanics only)", "model.safetensors", "reranked by the cross-encoder", "margin threshold", "rows →", "hn-card hn-neg"],
        ["04-llm-negatives"] = ["Relevant passage:", "Reply with JSON only, in the form", "SCRIPTED STAND-IN server, not an LLM", "CopyOfPositive", "RefusalOrMeta", "retry: 5xx",
            "second run: 6 of 6 items from the cache, 0 new requests", "llm:scripted-stand-in-not-an-llm", "hn-card hn-neg"],
        ["05-train-retriever"] = ["untrained nDCG@10 = ", "trained (30 steps)", "<progress", "<polyline", "SciFact test nDCG@10"],
        ["06-table-1"] = ["plan: 10 steps", "train/BM25/seed=1", "evaluate/Random/seed=1/scifact", "no LLM endpoint configured", "hn-results", "BM25 (no training)", "Plotly.newPlot(", "# Negative diagnostics"],
        ["07-figure-generator-scaling"] = ["hn-results", "LLM generators", "no LLM endpoint configured", "No LLM points: none of the 1 generator(s) ran",
            "BM25 (no training) (reference)", "Random (reference)", "Plotly.newPlot("],
        ["08-fsharp"] = ["dataset scifact", "Mined bm25 negatives for 10 queries", "hn-card hn-neg", "ndcg_cut_10"],
    };

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(NotebooksDir, "*.ipynb").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsInMiniMode_AndShowsItsKeyOutputs(string name)
    {
        var output = Path.Combine(TestNotebooks.TempDir(), name + ".ipynb");
        var result = await NotebookRunner.RunAsync(Path.Combine(NotebooksDir, name + ".ipynb"),
            new NotebookRunOptions(new Dictionary<string, string> { ["mode"] = "mini" }, output));
        Assert.True(result.CodeCells > 0);
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(output))!;
        var cells = ((JsonArray)json["cells"]!).OfType<JsonObject>().ToList();
        var all = string.Join("\n", Enumerable.Range(0, cells.Count).Select(i => TestNotebooks.OutputText(json, i)));
        Assert.DoesNotContain("\"output_type\":\"error\"", all);
        Assert.True(KeyOutputs.ContainsKey(name), $"{name}: add its key outputs to {nameof(KeyOutputs)}");
        foreach (var key in KeyOutputs[name]) Assert.Contains(key, all);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CommittedNotebook_HasMarkdown_AParametersCellFirst_AndTheOutputsOfARun(string name)
    {
        var notebook = NotebookDocument.Load(Path.Combine(NotebooksDir, name + ".ipynb"));
        var code = notebook.Cells.Where(c => c.CellType == "code").ToList();
        Assert.True(code[0].IsParameters, $"{name}: the first code cell must be tagged \"parameters\"");
        Assert.Matches("mode = \"mini\"", code[0].Source);
        Assert.True(notebook.Cells.Count(c => c.CellType == "markdown") >= code.Count / 2, $"{name}: explain the steps in Markdown");
        // Committed after a mini run: every code cell was executed, and most show something.
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(NotebooksDir, name + ".ipynb")))!;
        var codeJson = ((JsonArray)json["cells"]!).OfType<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.All(codeJson, c => Assert.NotNull(c["execution_count"]));
        Assert.True(code.Count(c => c.Outputs.Count > 0) * 2 >= code.Count, $"{name}: commit it with the outputs of `hn notebook run notebooks/{name}.ipynb`");
        Assert.Null(json["metadata"]?["hardnegatives"]?["parameters"]?["mode"]);
    }
}
