using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Negatives;
using HardNegatives.Retrieval;
using HardNegatives.Retrieval.Bm25;
using static TorchSharp.torch;

namespace HardNegatives.Mining;

/// <summary>Bi-encoder mining settings.</summary>
/// <param name="Candidates">Nearest documents retrieved per query; default null = the window end plus the most positives of a
/// query (<see cref="HardNegativeMiningOptions.CandidateDepth"/>), as sentence-transformers retrieves.</param>
/// <param name="BatchSize">Texts per forward pass of the bi-encoder; default 64.</param>
/// <param name="Similarity">Cosine (default; all-MiniLM-L6-v2 and the kit's trained models) or dot product.</param>
/// <param name="RescoreBatchSize">(query, passage) pairs per cross-encoder pass when rescoring; default 32.</param>
public sealed record DenseMiningOptions(int? Candidates = null, int BatchSize = 64, DenseSimilarity Similarity = DenseSimilarity.Cosine, int RescoreBatchSize = 32)
{
    public void Validate()
    {
        if (Candidates is < 1) throw new ArgumentException($"--candidates must be at least 1, got {Candidates}");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, got {BatchSize}");
        if (RescoreBatchSize < 1) throw new ArgumentException($"rescore batch size must be at least 1, got {RescoreBatchSize}");
    }
}

/// <summary>
/// Dense hard-negative mining, sentence-transformers' default <c>mine_hard_negatives</c> path: the bi-encoder embeds the corpus
/// (document prompt) and the queries (query prompt), exact search takes each query's nearest documents, the positives are
/// scored by the same similarity, and <see cref="HardNegativeSelector"/> applies the window, sampling and margin rules.
/// With a cross-encoder (<c>--rescore</c>) the candidates and positives are rescored by it and the rules apply to its scores
/// (sentence-transformers' <c>cross_encoder</c> argument). Rows go to the shared triples format with source <c>dense</c>;
/// each negative keeps its score and its dense rank.
/// </summary>
/// <remarks>The corpus's embeddings and texts are held in memory (5,183 × 384 floats for SciFact); corpora of millions need
/// a chunked index, which this miner does not build.</remarks>
public sealed class DenseNegativeMiner
{
    public const string Source = "dense";

    readonly BeirDataset _dataset;
    readonly SentenceEncoder _encoder;
    readonly CrossEncoder? _rescorer;

    public DenseNegativeMiner(BeirDataset dataset, SentenceEncoder encoder, HardNegativeMiningOptions? options = null, DenseMiningOptions? dense = null,
        CrossEncoder? rescorer = null, string? modelName = null, string? rescorerName = null)
    {
        _dataset = dataset;
        _encoder = encoder;
        _rescorer = rescorer;
        Options = options ?? new HardNegativeMiningOptions();
        Dense = dense ?? new DenseMiningOptions();
        ModelName = modelName ?? "bi-encoder";
        RescorerName = rescorer is null ? null : rescorerName ?? "cross-encoder";
    }

    public HardNegativeMiningOptions Options { get; }
    public DenseMiningOptions Dense { get; }
    public string ModelName { get; }
    public string? RescorerName { get; }

    /// <summary>The options recorded with every row.</summary>
    public IReadOnlyDictionary<string, string> Provenance(int maxPositives)
    {
        var d = new SortedDictionary<string, string>(Options.Describe(maxPositives).ToDictionary(), StringComparer.Ordinal)
        {
            ["model"] = ModelName,
            ["candidates"] = Depth(maxPositives).ToString(CultureInfo.InvariantCulture),
            ["similarity"] = Dense.Similarity.ToString().ToLowerInvariant(),
            ["max_length"] = _encoder.MaxSeqLength.ToString(CultureInfo.InvariantCulture),
        };
        if (RescorerName is not null) d["rescore"] = RescorerName;
        return d;
    }

    int Depth(int maxPositives) => Dense.Candidates ?? Options.CandidateDepth(maxPositives);

    /// <summary>
    /// Mines negatives for <paramref name="queries"/>: one row per (query, own positive) for queries that got at least one
    /// negative; every query's outcome goes into <paramref name="summary"/>. The corpus is embedded once, first.
    /// </summary>
    public IEnumerable<Triple> Mine(IReadOnlyList<MiningQuery> queries, int maxPositives, MiningSummary summary,
        IProgress<Bm25Progress>? progress = null, int? total = null, CancellationToken cancellationToken = default)
    {
        Options.Validate(maxPositives);
        Dense.Validate();
        int depth = Depth(maxPositives);
        if (Options.RangeMin >= depth) throw new ArgumentException($"range min {Options.RangeMin} leaves nothing of {depth} candidates; raise --candidates");
        var provenance = Provenance(maxPositives);

        var corpus = _dataset.StreamCorpus().ToList();
        var row = new Dictionary<string, int>(corpus.Count, StringComparer.Ordinal);
        for (int i = 0; i < corpus.Count; i++) row.TryAdd(corpus[i].Id, i);
        using var documents = Normalized(_encoder.EncodeDocuments([.. corpus.Select(d => d.FullText)], Dense.BatchSize,
            Relay("embed corpus", corpus.Count, progress), cancellationToken));
        using var queryEmbeddings = Normalized(_encoder.EncodeQueries([.. queries.Select(q => q.Text)], Dense.BatchSize,
            Relay("embed queries", queries.Count, progress), cancellationToken));
        int k = Math.Min(depth, corpus.Count);

        const int step = 256;
        for (int start = 0; start < queries.Count; start += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(step, queries.Count - start);
            float[] topScores;
            long[] topRows;
            using (var scope = NewDisposeScope())
            {
                var scores = queryEmbeddings.narrow(0, start, n).matmul(documents.t());
                var (values, indices) = scores.topk(k, dim: 1, largest: true, sorted: true);
                topScores = values.contiguous().data<float>().ToArray();
                topRows = indices.contiguous().data<long>().ToArray();
            }
            var chunk = new List<(MiningQuery Query, List<ScoredCandidate> Candidates, Dictionary<string, double> Positives)>(n);
            for (int i = 0; i < n; i++)
            {
                var q = queries[start + i];
                var candidates = new List<ScoredCandidate>(k);
                for (int r = 0; r < k; r++) candidates.Add(new ScoredCandidate(corpus[(int)topRows[i * k + r]].Id, topScores[i * k + r], r + 1));
                var positives = new Dictionary<string, double>(StringComparer.Ordinal);
                using var qv = queryEmbeddings[start + i];
                foreach (var id in q.ExcludedIds.Where(row.ContainsKey).Order(StringComparer.Ordinal))
                {
                    using var dv = documents[row[id]];
                    positives[id] = qv.dot(dv).item<float>();
                }
                // Positives absent from the corpus cannot be scored but must still never be negatives.
                var excludedOnly = q.ExcludedIds.Where(id => !positives.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
                if (excludedOnly.Count > 0) candidates.RemoveAll(c => excludedOnly.Contains(c.DocumentId));
                chunk.Add((q, candidates, positives));
            }
            if (_rescorer is not null) Rescore(chunk, corpus, row, progress, start, total, cancellationToken);

            foreach (var (q, candidates, positiveScores) in chunk)
            {
                var positives = positiveScores.Select(p => new ScoredCandidate(p.Key, p.Value)).ToList();
                var selection = HardNegativeSelector.Select(q.QueryId, positives, candidates, Options, maxPositives);
                var written = q.PositiveIds.Where(positiveScores.ContainsKey).ToList();
                summary.Add(selection, [.. written.Select(p => positiveScores[p])], q.PositiveIds.Count - written.Count);
                if (selection.Negatives.Count == 0) continue;
                var negatives = selection.Negatives.Select(c => new Negative(c.DocumentId, corpus[row[c.DocumentId]].FullText, c.Score, c.Rank)).ToList();
                foreach (var p in written)
                    yield return new Triple(q.QueryId, q.Text, p, corpus[row[p]].FullText, negatives, Source, provenance, positiveScores[p]);
            }
            progress?.Report(new Bm25Progress("mine", start + n, total ?? queries.Count));
        }
    }

    /// <summary>Replaces the dense scores of a chunk's candidates and positives by the cross-encoder's (ranks stay the dense ones).</summary>
    void Rescore(List<(MiningQuery Query, List<ScoredCandidate> Candidates, Dictionary<string, double> Positives)> chunk, List<Document> corpus,
        Dictionary<string, int> row, IProgress<Bm25Progress>? progress, int done, int? total, CancellationToken cancellationToken)
    {
        var pairQueries = new List<string>();
        var pairPassages = new List<string>();
        foreach (var (q, candidates, positives) in chunk)
            foreach (var id in positives.Keys.Concat(candidates.Select(c => c.DocumentId)))
            {
                pairQueries.Add(q.Text);
                pairPassages.Add(corpus[row[id]].FullText);
            }
        var relay = progress is null ? null : new Progress<BatchProgress>(_ => progress.Report(new Bm25Progress("rescore", done, total)));
        var scores = _rescorer!.Score(pairQueries, pairPassages, Dense.RescoreBatchSize, relay, cancellationToken);
        int at = 0;
        foreach (var (_, candidates, positives) in chunk)
        {
            foreach (var id in positives.Keys.ToList()) positives[id] = scores[at++];
            for (int i = 0; i < candidates.Count; i++) candidates[i] = candidates[i] with { Score = scores[at++] };
        }
    }

    Tensor Normalized(Tensor embeddings)
    {
        if (Dense.Similarity != DenseSimilarity.Cosine) return embeddings;
        using (embeddings) return nn.functional.normalize(embeddings, p: 2, dim: 1);
    }

    static IProgress<BatchProgress>? Relay(string stage, int count, IProgress<Bm25Progress>? progress) =>
        progress is null ? null : new Progress<BatchProgress>(p => progress.Report(new Bm25Progress(stage, p.Done, count)));

    /// <summary>Mines the training queries of <paramref name="split"/> into <paramref name="outputPath"/> (.parquet or JSONL).</summary>
    public Task<MiningSummary> MineToFileAsync(string split, string outputPath, IProgress<Bm25Progress>? progress = null,
        CancellationToken cancellationToken = default, int limit = 0) =>
        MiningRun.ToFileAsync(Mine, Options, Source, _dataset, split, outputPath, progress, limit, cancellationToken);
}
