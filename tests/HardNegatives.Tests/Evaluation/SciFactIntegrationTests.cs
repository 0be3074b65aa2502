using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

/// <summary>
/// Evaluates a constructed run on the bundled BEIR SciFact test qrels (300 queries, 339 judgments, all grade 1).
/// For every query the run ranks one unjudged document first, then the query's R relevant documents. The expected
/// values follow from R alone (counted here straight from the TSV lines): RR = 1/2; AP = Σ_{i=1..R} (i/(i+1)) / R;
/// nDCG@10 = Σ_{i=1..min(R,9)} 1/log2(i+2) / Σ_{i=1..min(R,10)} 1/log2(i+1); recall@100 = 1; P@1 = 0.
/// </summary>
public class SciFactIntegrationTests
{
    static string QrelsPath => DatasetLocator.Open("scifact").QrelsPath("test");

    static Dictionary<string, List<string>> RelevantFromTsv()
    {
        var byQuery = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(QrelsPath).Skip(1))
        {
            var p = line.Split('\t');
            Assert.Equal("1", p[2]);
            if (!byQuery.TryGetValue(p[0], out var list)) byQuery[p[0]] = list = [];
            list.Add(p[1]);
        }
        return byQuery;
    }

    static List<RunEntry> ConstructedRun(Dictionary<string, List<string>> relevant) =>
        [.. relevant.SelectMany(kv => kv.Value.Select((doc, i) => new RunEntry(kv.Key, doc, i + 2, 9 - i, "constructed"))
            .Prepend(new RunEntry(kv.Key, "unjudged-" + kv.Key, 1, 10, "constructed")))];

    [Fact]
    public void ConstructedRunGivesTheValuesDerivedFromR()
    {
        var relevant = RelevantFromTsv();
        Assert.Equal(300, relevant.Count);
        var result = TrecEvaluator.Evaluate(Judgments.Load(QrelsPath), ConstructedRun(relevant),
            MeasureRegistry.Resolve(["num_q", "num_rel", "map", "recip_rank", "P.1", "recall.100", "ndcg_cut.10"]));
        double ap = 0, ndcg = 0;
        foreach (var r in relevant.Values.Select(v => v.Count))
        {
            ap += Enumerable.Range(1, r).Sum(i => i / (i + 1.0)) / r;
            ndcg += Enumerable.Range(1, Math.Min(r, 9)).Sum(i => 1 / Math.Log2(i + 2)) / Enumerable.Range(1, Math.Min(r, 10)).Sum(i => 1 / Math.Log2(i + 1));
        }
        Assert.Equal(300, result["num_q"]);
        Assert.Equal(339, result["num_rel"]);
        Assert.Equal(0.5, result["recip_rank"], 1e-12);
        Assert.Equal(0.0, result["P_1"], 1e-12);
        Assert.Equal(1.0, result["recall_100"], 1e-12);
        Assert.Equal(ap / 300, result["map"], 1e-12);
        Assert.Equal(ndcg / 300, result["ndcg_cut_10"], 1e-12);
    }

    [Fact]
    public void CompleteAveragingCountsADroppedQuery()
    {
        var relevant = RelevantFromTsv();
        var first = relevant.Keys.Order(StringComparer.Ordinal).First();
        var run = ConstructedRun(relevant).Where(e => e.QueryId != first).ToList();
        var judgments = Judgments.Load(QrelsPath);
        var measures = MeasureRegistry.Resolve(["num_q", "recip_rank"]);
        var plain = TrecEvaluator.Evaluate(judgments, run, measures);
        var complete = TrecEvaluator.Evaluate(judgments, run, measures, new EvaluationOptions { AverageOverAllJudgedQueries = true });
        Assert.Equal(299, plain["num_q"]);
        Assert.Equal(0.5, plain["recip_rank"], 1e-12);
        Assert.Equal(300, complete["num_q"]);
        Assert.Equal(0.5 * 299 / 300, complete["recip_rank"], 1e-12);
        Assert.Equal(0.5 * 299 / 300, double.Parse(TrecEvalFormat.Format(complete, false).Split('\n')[1].Split('\t')[2], CultureInfo.InvariantCulture), 4);
    }
}
