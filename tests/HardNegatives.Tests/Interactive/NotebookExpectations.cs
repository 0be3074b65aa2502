using System.Globalization;
using System.Text.Json.Nodes;
using HardNegatives.Interactive;

namespace HardNegatives.Tests.Interactive;

/// <summary>
/// What an executed notebook must show, whichever kernel ran it (the .NET Interactive kernel or the kit's own): no error,
/// rich outputs, its key results, and the values the library computes for the same inputs.
/// </summary>
static class NotebookExpectations
{
    public static string NotebooksDir => Path.Combine(KitFormattersTests.RepoRoot(), "notebooks");

    /// <summary>Text each notebook's outputs must contain after a mini run (its key results).</summary>
    static readonly Dictionary<string, string[]> KeyOutputs = new()
    {
        ["00-quickstart"] = ["dataset scifact", "Mined bm25 negatives for 10 queries", "hn-card hn-neg", "ndcg_cut_10"],
        ["01-datasets"] = ["dataset scifact", "qrels per split", "test queries and their relevant abstracts", "Plotly.newPlot(", "mini mode: other datasets skipped"],
        ["02-bm25-negatives"] = ["Mined bm25 negatives for 30 queries", "<mark>", "rows →", "ndcg_cut_10", "recall_100"],
        ["03-cross-encoder-negatives"] = ["RANDOM-WEIGHT cross-encoder (mechanics only)", "model.safetensors", "ce negatives · scifact", "Mined ce negatives for 24 queries", "reranked by the cross-encoder", "margin threshold", "rows →", "hn-card hn-neg"],
        ["04-llm-negatives"] = ["llm:scripted-stand-in-not-an-llm negatives · scifact · 6 triples", "generation summary", "retried after 5xx", "rejected: CopyOfPositive", "Relevant passage:", "Reply with JSON only, in the form", "SCRIPTED STAND-IN server, not an LLM", "CopyOfPositive", "RefusalOrMeta", "retry: 5xx",
            "second run: 6 of 6 items from the cache, 0 new requests", "llm:scripted-stand-in-not-an-llm", "hn-card hn-neg"],
        ["05-train-retriever"] = ["zero-shot all-MiniLM-L6-v2 nDCG@10 = ", "all-MiniLM-L6-v2, zero-shot", "fine-tuned (12 steps)", "<progress", "<polyline", "SciFact test nDCG@10"],
        ["06-table-1"] = ["plan: 10 steps", "train/BM25/seed=1", "evaluate/Random/seed=1/scifact", "no LLM endpoint configured", "hn-results", "BM25 (no training)", "Plotly.newPlot(", "# Negative diagnostics",
            "3 systems on scifact (test, 300 queries paired); paired t-test against BM25, Holm–Bonferroni over 4 comparisons"],
        ["07-figure-generator-scaling"] = ["hn-results", "LLM generators", "no LLM endpoint configured", "No LLM points: none of the 1 generator(s) ran",
            "BM25 (no training) (reference)", "Random (reference)", "Plotly.newPlot("],
        ["08-fsharp"] = ["dataset scifact", "Mined bm25 negatives for 10 queries", "hn-card hn-neg", "ndcg_cut_10"],
    };

    /// <summary>Checks the executed notebook at <paramref name="output"/> (notebook <paramref name="name"/>, e.g. <c>00-quickstart</c>).</summary>
    public static async Task AssertOutputsAsync(string name, string output)
    {
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(output))!;
        var cells = ((JsonArray)json["cells"]!).OfType<JsonObject>().ToList();
        var all = string.Join("\n", Enumerable.Range(0, cells.Count).Select(i => TestNotebooks.OutputText(json, i)));
        Assert.DoesNotContain("\"output_type\":\"error\"", all);
        Assert.Contains("\"text/html\"", all);
        Assert.True(KeyOutputs.ContainsKey(name), $"{name}: add its key outputs to {nameof(KeyOutputs)}");
        foreach (var key in KeyOutputs[name]) Assert.Contains(key, all);
        if (name is "00-quickstart" or "08-fsharp")
        {
            // The notebook's nDCG@10 (BM25, first 50 SciFact test queries) is the library's, computed here independently.
            var expected = Hn.Eval(await Hn.SearchBm25("scifact", "test", limit: 50, topK: 100), "scifact").Summary.Single().Value;
            // (outputs are compared as JSON text, where the HTML's quotes are escaped)
            Assert.Contains($"ndcg_cut_10</td><td class=\\\"num\\\">{expected.ToString("0.0000", CultureInfo.InvariantCulture)}</td>", all);
        }
        if (name is "06-table-1")
        {
            // Table 1's BM25 row (no training, all 300 SciFact test queries) is the library's value, computed here independently.
            var bm25 = Hn.Eval(await Hn.SearchBm25("scifact", "test", topK: 100), "scifact").Summary.Single().Value;
            Assert.Contains($"| BM25 (no training) | **{bm25.ToString("0.0000", CultureInfo.InvariantCulture)}**", all);
            // Hn.Compare's table shows the same value (the best in its column, significantly above the trained BM25 row).
            Assert.Contains($"<b>{bm25.ToString("0.0000", CultureInfo.InvariantCulture)}†</b>", all);
        }
        // Committable: no machine paths.
        Assert.DoesNotContain(KitFormattersTests.RepoRoot(), all);
        Assert.DoesNotContain(HardNegatives.Data.KitPaths.Home, all);
    }
}

/// <summary>
/// Test classes that execute notebooks or cells in a real kernel (.NET Interactive, the kit's kernels): never at the same time,
/// since the same notebook in two kernels writes the same files under $HN_HOME (triples, caches, results).
/// </summary>
[CollectionDefinition(Name)]
public sealed class NotebookRunsCollection
{
    public const string Name = "the committed notebooks, executed through nbconvert";
}
