using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Negatives;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Mining;

/// <summary>Cross-encoder reranking settings.</summary>
/// <param name="Candidates">BM25 hits reranked per query; default 100.</param>
/// <param name="BatchSize">(query, passage) pairs per forward pass; default 32.</param>
/// <param name="QueriesPerStep">Queries whose candidates are pooled and length-sorted together; default 64.</param>
public sealed record CrossEncoderMiningOptions(int Candidates = MiningDefaults.Candidates, int BatchSize = 32, int QueriesPerStep = 64)
{
    public void Validate()
    {
        if (Candidates < 1) throw new OptionsValidationException($"{nameof(CrossEncoderMiningOptions)}.{nameof(Candidates)}", $"must be at least 1 (got {Candidates})");
        if (BatchSize < 1) throw new OptionsValidationException($"{nameof(CrossEncoderMiningOptions)}.{nameof(BatchSize)}", $"must be at least 1 (got {BatchSize})");
        if (QueriesPerStep < 1) throw new OptionsValidationException($"{nameof(CrossEncoderMiningOptions)}.{nameof(QueriesPerStep)}", $"must be at least 1 (got {QueriesPerStep})");
    }
}

/// <summary>
/// Cross-encoder hard-negative mining: BM25 proposes each query's top candidates, a cross-encoder rescores them and the
/// query's positives, and <see cref="HardNegativeSelector"/> applies the same window, sampling and false-negative rules as
/// BM25 mining, now on cross-encoder scores (so <c>RelativeMargin</c> 0.05 is NV-Retriever's TopK-PercPos against the
/// positive's cross-encoder score). Rows go to the shared triples format with source <c>ce</c>; each negative keeps its
/// cross-encoder score and its BM25 rank.
/// </summary>
public sealed class CrossEncoderNegativeMiner
{
    public const string Source = "ce";

    readonly Bm25Index _index;
    readonly CrossEncoder _crossEncoder;

    public CrossEncoderNegativeMiner(Bm25Index index, CrossEncoder crossEncoder, HardNegativeMiningOptions? options = null,
        CrossEncoderMiningOptions? rerank = null, Bm25SearchOptions? search = null, string? modelName = null)
    {
        _index = index;
        _crossEncoder = crossEncoder;
        Options = options ?? new HardNegativeMiningOptions();
        Rerank = rerank ?? new CrossEncoderMiningOptions();
        Search = search ?? new Bm25SearchOptions();
        ModelName = modelName ?? "cross-encoder";
    }

    public HardNegativeMiningOptions Options { get; }
    public CrossEncoderMiningOptions Rerank { get; }
    public Bm25SearchOptions Search { get; }
    public string ModelName { get; }

    /// <summary>The options recorded with every row.</summary>
    public IReadOnlyDictionary<string, string> Provenance(int maxPositives) =>
        new SortedDictionary<string, string>(Options.Describe(maxPositives).ToDictionary(), StringComparer.Ordinal)
        {
            ["model"] = ModelName,
            ["candidates"] = Rerank.Candidates.ToString(CultureInfo.InvariantCulture),
            ["first_stage"] = "bm25",
            ["k1"] = Search.K1.ToString("R", CultureInfo.InvariantCulture),
            ["b"] = Search.B.ToString("R", CultureInfo.InvariantCulture),
            ["max_length"] = _crossEncoder.MaxLength.ToString(CultureInfo.InvariantCulture),
            ["activation"] = _crossEncoder.Activation.ToString().ToLowerInvariant(),
        };

    /// <summary>
    /// Mines negatives for <paramref name="queries"/>: one row per (query, own positive) for queries that got at least one
    /// negative; every query's outcome goes into <paramref name="summary"/>. Streams in steps of
    /// <see cref="CrossEncoderMiningOptions.QueriesPerStep"/> queries.
    /// </summary>
    public IEnumerable<Triple> Mine(IEnumerable<MiningQuery> queries, int maxPositives, MiningSummary summary,
        IProgress<Bm25Progress>? progress = null, int? total = null, CancellationToken cancellationToken = default)
    {
        Options.Validate(maxPositives);
        Rerank.Validate();
        if (Options.RangeMin >= Rerank.Candidates)
            throw new ArgumentException($"range min {Options.RangeMin} leaves nothing of {Rerank.Candidates} candidates; raise --candidates");
        var provenance = Provenance(maxPositives);
        using var searcher = new Bm25Searcher(_index, Search with { TopK = Rerank.Candidates });
        int done = 0;
        foreach (var step in queries.Chunk(Rerank.QueriesPerStep))
        {
            var rankings = searcher.SearchAll(step.Select(q => new Query(q.QueryId, q.Text)), cancellationToken: cancellationToken).ToList();
            var texts = searcher.LoadDocuments(rankings.SelectMany(r => r.Hits.Select(h => h.DocumentId)).Concat(step.SelectMany(q => q.ExcludedIds)));

            // Every (query, passage) pair of the step, positives included, scored in one length-sorted pass.
            var pairQueries = new List<string>();
            var pairPassages = new List<string>();
            var firstPair = new int[step.Length];
            var positiveIds = new List<string>[step.Length];
            for (int i = 0; i < step.Length; i++)
            {
                firstPair[i] = pairQueries.Count;
                positiveIds[i] = [.. step[i].ExcludedIds.Where(texts.ContainsKey).Order(StringComparer.Ordinal)];
                foreach (var id in positiveIds[i].Concat(rankings[i].Hits.Select(h => h.DocumentId)))
                {
                    pairQueries.Add(step[i].Text);
                    pairPassages.Add(texts[id].FullText);
                }
            }
            var scoreProgress = progress is null ? null : new Progress<BatchProgress>(p => progress.Report(new Bm25Progress("rerank", done, total)));
            var scores = _crossEncoder.Score(pairQueries, pairPassages, Rerank.BatchSize, scoreProgress, cancellationToken);

            for (int i = 0; i < step.Length; i++)
            {
                var q = step[i];
                int at = firstPair[i];
                var positiveScores = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var id in positiveIds[i]) positiveScores[id] = scores[at++];
                var candidates = new List<ScoredCandidate>(rankings[i].Hits.Count);
                for (int r = 0; r < rankings[i].Hits.Count; r++) candidates.Add(new ScoredCandidate(rankings[i].Hits[r].DocumentId, scores[at++], r + 1));
                // Positives absent from the corpus cannot be scored but must still never be negatives.
                var excludedOnly = q.ExcludedIds.Where(id => !positiveScores.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
                if (excludedOnly.Count > 0) candidates.RemoveAll(c => excludedOnly.Contains(c.DocumentId));
                var positives = positiveScores.Select(p => new ScoredCandidate(p.Key, p.Value)).ToList();
                var selection = HardNegativeSelector.Select(q.QueryId, positives, candidates, Options, maxPositives);
                var written = q.PositiveIds.Where(positiveScores.ContainsKey).ToList();
                summary.Add(selection, [.. written.Select(p => positiveScores[p])], q.PositiveIds.Count - written.Count);
                if (selection.Negatives.Count == 0) continue;
                var negatives = selection.Negatives.Select(n => new Negative(n.DocumentId, texts[n.DocumentId].FullText, n.Score, n.Rank)).ToList();
                foreach (var p in written)
                    yield return new Triple(q.QueryId, q.Text, p, texts[p].FullText, negatives, Source, provenance, positiveScores[p]);
            }
            done += step.Length;
            progress?.Report(new Bm25Progress("rerank", done, total));
        }
    }

    /// <summary>Mines the training queries of <paramref name="split"/> into <paramref name="outputPath"/> (.parquet or JSONL).</summary>
    public Task<MiningSummary> MineToFileAsync(BeirDataset dataset, string split, string outputPath,
        IProgress<Bm25Progress>? progress = null, CancellationToken cancellationToken = default, int limit = 0) =>
        MiningRun.ToFileAsync(Mine, Options, Source, dataset, split, outputPath, progress, limit, cancellationToken);
}
