using HardNegatives.Retrieval;

namespace HardNegatives.Evaluation;

/// <summary>One query's sentence-transformers IR metrics, keyed like the library's (<c>ndcg@10</c>, <c>map@100</c>).</summary>
public sealed record SentenceTransformersQueryMetrics(string QueryId, IReadOnlyDictionary<string, double> Values);

/// <summary>Per-query and mean metrics of <see cref="SentenceTransformersIrEvaluator"/>.</summary>
public sealed record SentenceTransformersIrResult(IReadOnlyList<SentenceTransformersQueryMetrics> Queries, IReadOnlyDictionary<string, double> Mean);

/// <summary>
/// The metrics of sentence-transformers' <c>InformationRetrievalEvaluator</c> (<c>compute_metrics</c>), offered only as
/// an explicitly named alternative to trec_eval's: they differ on purpose and give other numbers.
/// <list type="bullet">
/// <item>Binary relevance: a document is relevant when its grade ≥ 1; grades are not used as gains.</item>
/// <item>nDCG@k: DCG of the binary top k / DCG of min(k, R) ones (log2(rank + 1) discount).</item>
/// <item>MAP@k: precision at each relevant document in the top k, summed, divided by <b>min(k, R)</b>
/// (trec_eval's map_cut divides by R).</item>
/// <item>MRR@k, Precision@k (÷k), Recall@k (÷R), Accuracy@k (any relevant in the top k).</item>
/// <item>Mean over every query with at least one relevant judgment; a query missing from the run scores 0
/// (the evaluator retrieves for every query it is given).</item>
/// </list>
/// Ties in the run are ordered as trec_eval orders them (the evaluator itself leaves them to torch.topk).
/// </summary>
public static class SentenceTransformersIrEvaluator
{
    /// <summary>sentence-transformers' default k values.</summary>
    public static readonly IReadOnlyList<int> DefaultK = [1, 3, 5, 10, 100];

    public static SentenceTransformersIrResult Evaluate(Judgments judgments, IEnumerable<RunEntry> run, IReadOnlyList<int>? kValues = null)
    {
        var ks = (kValues ?? DefaultK).Distinct().Order().ToArray();
        if (ks.Length == 0 || ks[0] <= 0) throw new ArgumentException("k values must be positive");
        var byQuery = TrecRunFile.Group(run);
        var queries = new List<SentenceTransformersQueryMetrics>();
        foreach (var qid in judgments.QueryIds)
        {
            var relevant = judgments.For(qid)!.Where(kv => kv.Value >= 1).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
            if (relevant.Count == 0) continue;
            var ranked = byQuery.TryGetValue(qid, out var entries) ? TrecRanking.Sort(qid, entries) : [];
            var hits = ranked.Select(e => relevant.Contains(e.DocumentId)).ToArray();
            queries.Add(new SentenceTransformersQueryMetrics(qid, Compute(hits, relevant.Count, ks)));
        }
        var mean = new Dictionary<string, double>(StringComparer.Ordinal);
        if (queries.Count > 0)
            foreach (var name in queries[0].Values.Keys)
                mean[name] = queries.Sum(q => q.Values[name]) / queries.Count;
        return new SentenceTransformersIrResult(queries, mean);
    }

    static Dictionary<string, double> Compute(bool[] hits, int relevantCount, int[] ks)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (int k in ks)
        {
            int n = Math.Min(k, hits.Length), correct = 0, firstHit = 0;
            double dcg = 0, sumPrecision = 0;
            for (int i = 0; i < n; i++)
            {
                if (!hits[i]) continue;
                correct++;
                if (firstHit == 0) firstHit = i + 1;
                dcg += 1 / Math.Log2(i + 2);
                sumPrecision += correct / (double)(i + 1);
            }
            double idcg = 0;
            for (int i = 0; i < Math.Min(k, relevantCount); i++) idcg += 1 / Math.Log2(i + 2);
            values[$"accuracy@{k}"] = correct > 0 ? 1 : 0;
            values[$"precision@{k}"] = correct / (double)k;
            values[$"recall@{k}"] = correct / (double)relevantCount;
            values[$"mrr@{k}"] = firstHit > 0 ? 1.0 / firstHit : 0;
            values[$"ndcg@{k}"] = dcg / idcg;
            values[$"map@{k}"] = sumPrecision / Math.Min(k, relevantCount);
        }
        return values;
    }
}
