using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Retrieval;

/// <summary>
/// Exact (brute-force) top-k dense retrieval with TorchSharp, without ever holding the query × corpus score matrix:
/// documents arrive in chunks (streamed once), each chunk is scored against each chunk of queries with one matrix
/// multiply, and a running top-k per query is merged with the chunk's top-k. Peak memory is bounded by
/// QueryChunkSize × DocumentChunkSize scores plus queries × k kept results. LibTorch's intra-op threads use all cores.
/// <para>Results come out per query in trec_eval order (score descending, ties by document id descending), so the run
/// is the same whichever tool sorts it. When scores tie exactly at the k-th place, which of the tied documents is kept
/// is up to torch.topk.</para>
/// </summary>
public static class ExactDenseSearch
{
    /// <summary>Searches an in-memory corpus.</summary>
    public static IReadOnlyList<RunEntry> Search(EmbeddingMatrix queries, EmbeddingMatrix documents, ExactDenseSearchOptions? options = null,
        IProgress<ExactDenseSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var q = tensor(queries.Values, [queries.Count, queries.Dimension]);
        var d = tensor(documents.Values, [documents.Count, documents.Dimension]);
        return Search(q, queries.Ids, d, documents.Ids, options, progress, cancellationToken);
    }

    /// <summary>Searches a corpus given as tensors ([queries, dim] and [documents, dim], float32, on any device).</summary>
    public static IReadOnlyList<RunEntry> Search(Tensor queries, IReadOnlyList<string> queryIds, Tensor documents, IReadOnlyList<string> documentIds,
        ExactDenseSearchOptions? options = null, IProgress<ExactDenseSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExactDenseSearchOptions();
        if (documents.dim() != 2 || documents.shape[0] != documentIds.Count)
            throw new ArgumentException($"documents tensor has shape [{string.Join(',', documents.shape)}], expected [{documentIds.Count}, dim]");
        int chunk = options.DocumentChunkSize;
        long total = documentIds.Count;
        return Search(queries, queryIds, Chunks(), options, progress, cancellationToken, total);

        IEnumerable<(Tensor, IReadOnlyList<string>)> Chunks()
        {
            for (int start = 0; start < documentIds.Count; start += chunk)
            {
                int n = Math.Min(chunk, documentIds.Count - start);
                yield return (documents.narrow(0, start, n), new ListSlice(documentIds, start, n));
            }
        }
    }

    /// <summary>
    /// Searches a corpus streamed as chunks of embeddings (for corpora that do not fit in memory). Each chunk is
    /// further split to at most <see cref="ExactDenseSearchOptions.DocumentChunkSize"/> rows.
    /// </summary>
    public static IReadOnlyList<RunEntry> Search(EmbeddingMatrix queries, IEnumerable<EmbeddingMatrix> documentChunks, ExactDenseSearchOptions? options = null,
        IProgress<ExactDenseSearchProgress>? progress = null, CancellationToken cancellationToken = default, long? documentsTotal = null)
    {
        using var scope = NewDisposeScope();
        var q = tensor(queries.Values, [queries.Count, queries.Dimension]);
        var size = (options ?? new ExactDenseSearchOptions()).DocumentChunkSize;
        return Search(q, queries.Ids, Split(), options, progress, cancellationToken, documentsTotal);

        IEnumerable<(Tensor, IReadOnlyList<string>)> Split()
        {
            foreach (var m in documentChunks)
            {
                if (m.Dimension != queries.Dimension)
                    throw new ArgumentException($"document embeddings have {m.Dimension} dimensions, queries {queries.Dimension}");
                for (int start = 0; start < m.Count; start += size)
                {
                    int n = Math.Min(size, m.Count - start);
                    var values = m.Values.AsSpan(start * m.Dimension, n * m.Dimension).ToArray();
                    yield return (tensor(values, [n, m.Dimension]), new ListSlice(m.Ids, start, n));
                }
            }
        }
    }

    static IReadOnlyList<RunEntry> Search(Tensor queries, IReadOnlyList<string> queryIds, IEnumerable<(Tensor Embeddings, IReadOnlyList<string> Ids)> documentChunks,
        ExactDenseSearchOptions? options, IProgress<ExactDenseSearchProgress>? progress, CancellationToken cancellationToken, long? documentsTotal)
    {
        options ??= new ExactDenseSearchOptions();
        if (options.TopK <= 0) throw new ArgumentOutOfRangeException(nameof(options), "TopK must be positive");
        if (options.QueryChunkSize <= 0 || options.DocumentChunkSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), "chunk sizes must be positive");
        if (queries.dim() != 2 || queries.shape[0] != queryIds.Count)
            throw new ArgumentException($"queries tensor has shape [{string.Join(',', queries.shape)}], expected [{queryIds.Count}, dim]");
        if (queries.dtype != ScalarType.Float32) throw new ArgumentException($"queries must be float32, got {queries.dtype}");
        int k = options.TopK, queryCount = queryIds.Count;
        int queryChunks = (queryCount + options.QueryChunkSize - 1) / options.QueryChunkSize;
        // Running top-k per query chunk; these live outside any dispose scope and are replaced (and disposed) each step.
        var bestScores = new Tensor?[queryChunks];
        var bestIndices = new Tensor?[queryChunks];
        var preparedQueries = new Tensor[queryChunks];
        var documentIds = new List<string>();
        try
        {
            for (int c = 0; c < queryChunks; c++)
            {
                using var scope = NewDisposeScope();
                int start = c * options.QueryChunkSize, n = Math.Min(options.QueryChunkSize, queryCount - start);
                var chunk = queries.narrow(0, start, n);
                preparedQueries[c] = (options.Similarity == DenseSimilarity.Cosine ? nn.functional.normalize(chunk, p: 2, dim: 1) : chunk.clone())
                    .contiguous().DetachFromDisposeScope();
            }
            long offset = 0;
            foreach (var (embeddings, ids) in documentChunks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var chunkScope = NewDisposeScope();
                chunkScope.Attach(embeddings); // the chunk iterators hand over fresh tensors (views or copies): ours to dispose
                if (embeddings.dim() != 2 || embeddings.shape[1] != queries.shape[1])
                    throw new ArgumentException($"document chunk has shape [{string.Join(',', embeddings.shape)}], queries have {queries.shape[1]} dimensions");
                var onDevice = embeddings.device == queries.device ? embeddings : embeddings.to(queries.device); // streamed chunks arrive on the CPU
                var docs = options.Similarity == DenseSimilarity.Cosine ? nn.functional.normalize(onDevice, p: 2, dim: 1) : onDevice;
                var docsT = docs.t();
                int n = (int)docs.shape[0];
                var local = options.ExcludeSelfMatches ? LocalIndex(ids) : null;
                for (int c = 0; c < queryChunks; c++)
                {
                    using var scope = NewDisposeScope();
                    var scores = preparedQueries[c].mm(docsT);
                    if (local is not null) MaskSelfMatches(scores, queryIds, c * options.QueryChunkSize, local);
                    var (values, indices) = scores.topk(Math.Min(k, n), dim: 1, largest: true, sorted: false);
                    indices = indices.add(offset);
                    if (bestScores[c] is { } previous)
                    {
                        var allValues = cat([previous, values], 1);
                        var allIndices = cat([bestIndices[c]!, indices], 1);
                        (values, var positions) = allValues.topk(Math.Min(k, (int)allValues.shape[1]), dim: 1, largest: true, sorted: false);
                        indices = allIndices.gather(1, positions);
                    }
                    bestScores[c]?.Dispose();
                    bestIndices[c]?.Dispose();
                    bestScores[c] = values.DetachFromDisposeScope();
                    bestIndices[c] = indices.DetachFromDisposeScope();
                }
                documentIds.AddRange(ids);
                offset += n;
                progress?.Report(new ExactDenseSearchProgress(offset, documentsTotal));
            }
            return Collect(queryIds, bestScores, bestIndices, documentIds, options);
        }
        finally
        {
            foreach (var t in preparedQueries) t?.Dispose();
            foreach (var t in bestScores) t?.Dispose();
            foreach (var t in bestIndices) t?.Dispose();
        }
    }

    static Dictionary<string, int> LocalIndex(IReadOnlyList<string> ids)
    {
        var map = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++) map.TryAdd(ids[i], i);
        return map;
    }

    /// <summary>Sets score(query, document with the query's own id) to −∞ for the queries of this chunk.</summary>
    static void MaskSelfMatches(Tensor scores, IReadOnlyList<string> queryIds, int queryStart, Dictionary<string, int> local)
    {
        int rows = (int)scores.shape[0], cols = (int)scores.shape[1];
        var flat = new List<long>();
        for (int r = 0; r < rows; r++)
            if (local.TryGetValue(queryIds[queryStart + r], out int col)) flat.Add((long)r * cols + col);
        if (flat.Count == 0) return;
        using var index = tensor(flat.ToArray(), ScalarType.Int64, scores.device);
        using var view = scores.view(-1);
        view.index_fill_(0, index, float.NegativeInfinity);
    }

    static List<RunEntry> Collect(IReadOnlyList<string> queryIds, Tensor?[] bestScores, Tensor?[] bestIndices, List<string> documentIds, ExactDenseSearchOptions options)
    {
        var run = new List<RunEntry>(queryIds.Count * Math.Min(options.TopK, Math.Max(1, documentIds.Count)));
        for (int c = 0; c < bestScores.Length; c++)
        {
            if (bestScores[c] is null) continue; // empty corpus
            using var scores = bestScores[c]!.cpu();
            using var indices = bestIndices[c]!.cpu();
            var s = scores.data<float>().ToArray();
            var ix = indices.data<long>().ToArray();
            int rows = (int)scores.shape[0], width = (int)scores.shape[1];
            for (int r = 0; r < rows; r++)
            {
                string qid = queryIds[c * options.QueryChunkSize + r];
                var hits = new List<RunEntry>(width);
                for (int j = 0; j < width; j++)
                {
                    float score = s[r * width + j];
                    if (float.IsNegativeInfinity(score)) continue; // masked self-match that still made the top k
                    hits.Add(new RunEntry(qid, documentIds[(int)ix[r * width + j]], 0, score, options.RunTag));
                }
                hits.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(b.DocumentId, a.DocumentId));
                for (int j = 0; j < hits.Count; j++) run.Add(hits[j] with { Rank = j + 1 });
            }
        }
        return run;
    }

    /// <summary>A window on a list, without copying.</summary>
    sealed class ListSlice(IReadOnlyList<string> source, int start, int count) : IReadOnlyList<string>
    {
        public string this[int index] => (uint)index < (uint)count ? source[start + index] : throw new ArgumentOutOfRangeException(nameof(index));
        public int Count => count;
        public IEnumerator<string> GetEnumerator() { for (int i = 0; i < count; i++) yield return source[start + i]; }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
