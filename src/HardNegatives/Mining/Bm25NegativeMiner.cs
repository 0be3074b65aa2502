using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Negatives;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Mining;

/// <summary>A training query with every known positive (merged across duplicate queries) and the positives that get rows.</summary>
/// <param name="ExcludedIds">All documents that must never be a negative for this query text.</param>
/// <param name="PositiveIds">This query id's own positives: one output row each.</param>
public sealed record MiningQuery(string QueryId, string Text, IReadOnlyList<string> PositiveIds, IReadOnlyCollection<string> ExcludedIds);

/// <summary>
/// BM25 hard-negative mining: BM25 retrieves and scores each query's candidates, <see cref="HardNegativeSelector"/> applies
/// sentence-transformers' rules with BM25 scores (positives' scores come from the same BM25 query), and the rows are
/// written in the shared triples format with source <c>bm25</c>.
/// </summary>
/// <remarks>
/// Streaming: queries are searched in bounded batches (<see cref="Bm25Searcher.SearchAll"/>) and rows are yielded as soon as
/// their batch is done, so memory does not grow with the number of training queries beyond the query texts and qrels
/// themselves. Passage texts are read from the index's stored fields, never from a corpus held in memory. Texts are
/// <see cref="Document.FullText"/> (title, space, text), for positives and negatives alike.
/// </remarks>
public sealed class Bm25NegativeMiner
{
    public const string Source = "bm25";

    readonly Bm25Index _index;

    public Bm25NegativeMiner(Bm25Index index, HardNegativeMiningOptions? options = null, Bm25SearchOptions? search = null)
    {
        _index = index;
        Options = options ?? new HardNegativeMiningOptions();
        Search = search ?? new Bm25SearchOptions();
    }

    public HardNegativeMiningOptions Options { get; }
    public Bm25SearchOptions Search { get; }

    /// <summary>
    /// The queries of <paramref name="split"/> with their positives (grade &gt; 0), in qrels order. Queries with identical text
    /// share their positives for exclusion, as sentence-transformers merges duplicate anchors. Queries missing from
    /// queries.jsonl are an error (they cannot be searched).
    /// </summary>
    public static IReadOnlyList<MiningQuery> TrainingQueries(BeirDataset dataset, string split)
    {
        var texts = dataset.LoadQueries();
        var own = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var q in dataset.LoadQrels(split))
        {
            if (q.Grade <= 0) continue;
            if (!own.TryGetValue(q.QueryId, out var list)) { own[q.QueryId] = list = []; order.Add(q.QueryId); }
            if (!list.Contains(q.DocumentId)) list.Add(q.DocumentId);
        }
        var missing = order.Where(id => !texts.ContainsKey(id)).Take(5).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{dataset.QrelsPath(split)}: queries {string.Join(", ", missing)} are not in {dataset.QueriesPath}");
        var byText = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var id in order)
        {
            var text = texts[id].Text;
            if (!byText.TryGetValue(text, out var set)) byText[text] = set = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(own[id]);
        }
        return order.Select(id => new MiningQuery(id, texts[id].Text, own[id], byText[texts[id].Text])).ToList();
    }

    /// <summary>The options recorded with every row.</summary>
    public IReadOnlyDictionary<string, string> Provenance(int maxPositives)
    {
        var d = new SortedDictionary<string, string>(Options.Describe(maxPositives).ToDictionary(), StringComparer.Ordinal)
        {
            ["k1"] = Search.K1.ToString("R", CultureInfo.InvariantCulture),
            ["b"] = Search.B.ToString("R", CultureInfo.InvariantCulture),
            ["fields"] = _index.Fields.ToString().ToLowerInvariant(),
            ["index"] = Path.GetFileName(_index.Path),
            ["candidates"] = Options.CandidateDepth(maxPositives).ToString(CultureInfo.InvariantCulture),
        };
        return d;
    }

    /// <summary>
    /// Mines negatives for <paramref name="queries"/>, yielding one row per (query, own positive) for queries that got at
    /// least one negative; every query's outcome goes into <paramref name="summary"/>.
    /// </summary>
    /// <param name="maxPositives">The most positives (merged) of any query; sets the default window and the candidate depth, as in sentence-transformers.</param>
    public IEnumerable<Triple> Mine(IEnumerable<MiningQuery> queries, int maxPositives, MiningSummary summary,
        IProgress<Bm25Progress>? progress = null, int? total = null, CancellationToken cancellationToken = default)
    {
        Options.Validate(maxPositives);
        var provenance = Provenance(maxPositives);
        int depth = Options.CandidateDepth(maxPositives);
        using var searcher = new Bm25Searcher(_index, Search with { TopK = depth });
        const int batchSize = 256;
        int done = 0;
        foreach (var batch in queries.Chunk(batchSize))
        {
            var rankings = searcher.SearchAll(batch.Select(q => new Query(q.QueryId, q.Text)), cancellationToken: cancellationToken).ToList();
            var selections = new (NegativeSelection Selection, IReadOnlyDictionary<string, double> PositiveScores)[batch.Length];
            Parallel.For(0, batch.Length, new ParallelOptions { MaxDegreeOfParallelism = Search.EffectiveThreads, CancellationToken = cancellationToken }, i =>
            {
                var q = batch[i];
                var positiveScores = searcher.ScoreDocuments(q.Text, q.ExcludedIds);
                var candidates = rankings[i].Hits.Select((h, r) => new ScoredCandidate(h.DocumentId, h.Score, r + 1)).ToList();
                var positives = positiveScores.Select(p => new ScoredCandidate(p.Key, p.Value)).ToList();
                // Positives absent from the corpus cannot be scored but must still be excluded.
                var excludedOnly = q.ExcludedIds.Where(id => !positiveScores.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
                if (excludedOnly.Count > 0) candidates.RemoveAll(c => excludedOnly.Contains(c.DocumentId));
                selections[i] = (HardNegativeSelector.Select(q.QueryId, positives, candidates, Options, maxPositives), positiveScores);
            });
            var texts = searcher.LoadDocuments(batch.SelectMany(q => q.PositiveIds).Concat(selections.SelectMany(s => s.Selection.Negatives.Select(n => n.DocumentId))));
            for (int i = 0; i < batch.Length; i++)
            {
                var (selection, positiveScores) = selections[i];
                var written = batch[i].PositiveIds.Where(texts.ContainsKey).ToList();
                summary.Add(selection, written.Select(p => positiveScores[p]).ToList(), batch[i].PositiveIds.Count - written.Count);
                if (selection.Negatives.Count == 0) continue;
                var negatives = selection.Negatives.Select(n => new Negative(n.DocumentId, texts[n.DocumentId].FullText, n.Score, n.Rank)).ToList();
                foreach (var p in written)
                    yield return new Triple(batch[i].QueryId, batch[i].Text, p, texts[p].FullText, negatives, Source, provenance, positiveScores[p]);
            }
            done += batch.Length;
            progress?.Report(new Bm25Progress("mine", done, total));
        }
    }

    /// <summary>
    /// Mines the training queries of <paramref name="split"/> into <paramref name="outputPath"/> (Parquet when it ends in
    /// <c>.parquet</c>, otherwise JSONL), written as rows come and renamed into place at the end. Returns the summary.
    /// </summary>
    public Task<MiningSummary> MineToFileAsync(BeirDataset dataset, string split, string outputPath,
        IProgress<Bm25Progress>? progress = null, CancellationToken cancellationToken = default, int limit = 0) =>
        MiningRun.ToFileAsync(Mine, Options, Source, dataset, split, outputPath, progress, limit, cancellationToken);
}
