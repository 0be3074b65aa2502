using HardNegatives.Retrieval;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Retrieval;

public class ExactDenseSearchTests
{
    static EmbeddingMatrix Random(string prefix, int count, int dim, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * dim];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return new EmbeddingMatrix([.. Enumerable.Range(0, count).Select(i => $"{prefix}{i}")], values, dim);
    }

    /// <summary>Brute force in double precision: every score, full sort by (score desc, id desc), first k.</summary>
    static List<(string Doc, double Score)> Reference(EmbeddingMatrix q, int qi, EmbeddingMatrix d, int k, bool cosine, bool excludeSelf)
    {
        double Norm(EmbeddingMatrix m, int row) => cosine ? Math.Max(Math.Sqrt(Enumerable.Range(0, m.Dimension).Sum(j => (double)m.Values[row * m.Dimension + j] * m.Values[row * m.Dimension + j])), 1e-12) : 1;
        var hits = new List<(string, double)>();
        for (int di = 0; di < d.Count; di++)
        {
            if (excludeSelf && d.Ids[di] == q.Ids[qi]) continue;
            double dot = 0;
            for (int j = 0; j < q.Dimension; j++) dot += (double)q.Values[qi * q.Dimension + j] * d.Values[di * d.Dimension + j];
            hits.Add((d.Ids[di], dot / Norm(q, qi) / Norm(d, di)));
        }
        return [.. hits.OrderByDescending(h => h.Item2).ThenByDescending(h => h.Item1, StringComparer.Ordinal).Take(k)];
    }

    static void AssertMatchesReference(EmbeddingMatrix q, EmbeddingMatrix d, IReadOnlyList<RunEntry> run, int k, bool cosine, bool excludeSelf)
    {
        var byQuery = TrecRunFile.Group(run);
        for (int qi = 0; qi < q.Count; qi++)
        {
            var expected = Reference(q, qi, d, k, cosine, excludeSelf);
            var actual = byQuery.GetValueOrDefault(q.Ids[qi]) ?? [];
            Assert.Equal(expected.Select(e => e.Doc), actual.Select(a => a.DocumentId));
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
            Assert.Equal(Enumerable.Range(1, actual.Count), actual.Select(a => a.Rank));
        }
    }

    [Theory]
    [InlineData(DenseSimilarity.Cosine, 3, 7, 5)]
    [InlineData(DenseSimilarity.Dot, 4, 11, 5)]
    [InlineData(DenseSimilarity.Cosine, 100, 1000, 8)] // one chunk each
    [InlineData(DenseSimilarity.Dot, 1, 1, 3)]         // degenerate chunks
    public void TopKMatchesBruteForceWhateverTheChunking(DenseSimilarity similarity, int queryChunk, int docChunk, int k)
    {
        var q = Random("q", 10, 16, 1);
        var d = Random("d", 50, 16, 2);
        var options = new ExactDenseSearchOptions { TopK = k, Similarity = similarity, QueryChunkSize = queryChunk, DocumentChunkSize = docChunk };
        AssertMatchesReference(q, d, ExactDenseSearch.Search(q, d, options), k, similarity == DenseSimilarity.Cosine, true);
    }

    [Fact]
    public void SelfMatchesAreExcludedOnlyWhenAsked()
    {
        // Queries q0..q9 are also documents (same vectors): with exclusion, no query retrieves itself.
        var q = Random("q", 10, 8, 3);
        var d = new EmbeddingMatrix([.. q.Ids, .. Random("d", 20, 8, 4).Ids], [.. q.Values, .. Random("d", 20, 8, 4).Values], 8);
        var excluded = ExactDenseSearch.Search(q, d, new() { TopK = 5, QueryChunkSize = 4, DocumentChunkSize = 6 });
        Assert.DoesNotContain(excluded, e => e.QueryId == e.DocumentId);
        AssertMatchesReference(q, d, excluded, 5, true, true);
        var kept = ExactDenseSearch.Search(q, d, new() { TopK = 5, ExcludeSelfMatches = false, DocumentChunkSize = 6 });
        Assert.All(TrecRunFile.Group(kept), g => Assert.Equal(g.Key, g.Value[0].DocumentId)); // cosine 1 with itself
    }

    [Fact]
    public void KLargerThanTheCorpusReturnsEveryDocumentButTheQueryItself()
    {
        var q = Random("x", 3, 4, 5);
        var d = new EmbeddingMatrix(["x0", "a", "b"], Random("y", 3, 4, 6).Values, 4);
        var run = ExactDenseSearch.Search(q, d, new() { TopK = 10, DocumentChunkSize = 2 });
        Assert.Equal(2, run.Count(e => e.QueryId == "x0"));
        Assert.Equal(3, run.Count(e => e.QueryId == "x1"));
        AssertMatchesReference(q, d, run, 10, true, true);
    }

    [Fact]
    public void StreamedChunksGiveTheSameRunAsTheInMemoryCorpus()
    {
        var q = Random("q", 6, 8, 7);
        var d = Random("d", 40, 8, 8);
        var options = new ExactDenseSearchOptions { TopK = 7, DocumentChunkSize = 9, QueryChunkSize = 4 };
        var inMemory = ExactDenseSearch.Search(q, d, options);
        IEnumerable<EmbeddingMatrix> Chunks()
        {
            for (int s = 0; s < d.Count; s += 13)
            {
                int n = Math.Min(13, d.Count - s);
                yield return new EmbeddingMatrix([.. d.Ids.Skip(s).Take(n)], d.Values[(s * 8)..((s + n) * 8)], 8);
            }
        }
        var progress = new List<long>();
        var streamed = ExactDenseSearch.Search(q, Chunks(), options, new SyncProgress(p => progress.Add(p.DocumentsSearched)));
        // Same documents in the same order; scores equal up to float rounding, because a matrix product's summation order
        // (and so its last bit) depends on the block shapes and on how many threads the BLAS uses at that moment.
        Assert.Equal(inMemory.Select(e => (e.QueryId, e.DocumentId, e.Rank)), streamed.Select(e => (e.QueryId, e.DocumentId, e.Rank)));
        foreach (var (a, b) in inMemory.Zip(streamed)) Assert.Equal(a.Score, b.Score, 1e-6);
        Assert.Equal(40, progress[^1]);
    }

    [Fact]
    public void LiveTensorCountStaysFlat()
    {
        var q = Random("q", 8, 8, 9);
        var d = Random("d", 64, 8, 10);
        var options = new ExactDenseSearchOptions { TopK = 5, DocumentChunkSize = 10, QueryChunkSize = 3 };
        ExactDenseSearch.Search(q, d, options); // warm-up
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 3; i++) ExactDenseSearch.Search(q, d, options);
        using (var qt = tensor(q.Values, [q.Count, 8]))
        using (var dt = tensor(d.Values, [d.Count, 8]))
            ExactDenseSearch.Search(qt, q.Ids, dt, d.Ids, options);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void ShapeMismatchesAreReported()
    {
        var q = Random("q", 2, 4, 1);
        var d = Random("d", 3, 5, 1);
        Assert.Throws<ArgumentException>(() => ExactDenseSearch.Search(q, d));
        Assert.Throws<ArgumentException>(() => new EmbeddingMatrix(["a"], new float[3], 4));
    }

    sealed class SyncProgress(Action<ExactDenseSearchProgress> report) : IProgress<ExactDenseSearchProgress>
    {
        public void Report(ExactDenseSearchProgress value) => report(value);
    }
}
