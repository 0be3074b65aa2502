using HardNegatives.Data;

namespace HardNegatives.Evaluation;

/// <summary>
/// Relevance judgments (qrels) of every query: query id → (document id → grade). Grade-0 and negative rows are kept;
/// what counts as relevant is decided by the evaluator's relevance level, as in trec_eval.
/// </summary>
public sealed class Judgments
{
    readonly Dictionary<string, IReadOnlyDictionary<string, int>> byQuery;

    Judgments(Dictionary<string, IReadOnlyDictionary<string, int>> byQuery) => this.byQuery = byQuery;

    /// <summary>Query ids in trec_eval's order (ordinal string order, as its qrels reader sorts them).</summary>
    public IReadOnlyList<string> QueryIds => [.. byQuery.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Number of distinct queries with at least one judgment row (the denominator of trec_eval -c).</summary>
    public int QueryCount => byQuery.Count;

    /// <summary>The judgments of one query, or null when the query has none.</summary>
    public IReadOnlyDictionary<string, int>? For(string queryId) => byQuery.GetValueOrDefault(queryId);

    /// <summary>
    /// Builds judgments from qrel rows. A document judged twice for one query is an error, as in trec_eval
    /// (<c>form_res_rels.c</c>: "duplicate docs").
    /// </summary>
    public static Judgments From(IEnumerable<Qrel> qrels, string source = "qrels")
    {
        var map = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var q in qrels)
        {
            if (!map.TryGetValue(q.QueryId, out var docs)) map[q.QueryId] = docs = new(StringComparer.Ordinal);
            if (!docs.TryAdd(q.DocumentId, q.Grade))
                throw new InvalidDataException($"{source}: document '{q.DocumentId}' is judged more than once for query '{q.QueryId}'; keep one row per (query, document)");
        }
        return new(map.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value, StringComparer.Ordinal));
    }

    /// <summary>Reads a TREC (<c>qid 0 docid grade</c>) or BEIR TSV qrels file.</summary>
    public static Judgments Load(string path) => From(QrelsReader.Read(path), path);
}
