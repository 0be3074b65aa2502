namespace HardNegatives.Retrieval;

/// <summary>How query and document vectors are compared.</summary>
public enum DenseSimilarity
{
    /// <summary>Cosine similarity: both sides are L2-normalized first (torch.nn.functional.normalize, eps 1e-12).</summary>
    Cosine,
    /// <summary>Plain inner product (for models trained with dot-product scores, e.g. TAS-B).</summary>
    Dot,
}

/// <summary>Options of <see cref="ExactDenseSearch"/>.</summary>
public sealed record ExactDenseSearchOptions
{
    /// <summary>Results kept per query. Default 100 (BEIR evaluates up to 100; nDCG@10 needs 10).</summary>
    public int TopK { get; init; } = 100;

    /// <summary>Similarity function. Default cosine (sentence-transformers' <c>cos_sim</c>, BEIR's default for most models).</summary>
    public DenseSimilarity Similarity { get; init; } = DenseSimilarity.Cosine;

    /// <summary>Queries scored at once. Default 1024. Peak score memory is QueryChunkSize × DocumentChunkSize × 4 bytes.</summary>
    public int QueryChunkSize { get; init; } = 1024;

    /// <summary>Documents scored at once. Default 16384 (64 MiB of scores with 1024 queries).</summary>
    public int DocumentChunkSize { get; init; } = 16384;

    /// <summary>
    /// Never return a document whose id equals the query id (BEIR's <c>ignore_identical_ids</c>, needed where queries
    /// are also corpus documents, as in ArguAna and Quora). Default true.
    /// </summary>
    public bool ExcludeSelfMatches { get; init; } = true;

    /// <summary>Tag written in the run's last column. Default <c>exact-dense</c>.</summary>
    public string RunTag { get; init; } = "exact-dense";
}

/// <summary>Progress of a search: documents scored against every query so far.</summary>
public sealed record ExactDenseSearchProgress(long DocumentsSearched, long? DocumentsTotal);

/// <summary>
/// Row-major float32 embeddings with their ids: row i (values [i·Dimension, (i+1)·Dimension)) belongs to Ids[i].
/// </summary>
public sealed record EmbeddingMatrix
{
    public EmbeddingMatrix(IReadOnlyList<string> ids, float[] values, int dimension)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), "dimension must be positive");
        if ((long)ids.Count * dimension != values.LongLength)
            throw new ArgumentException($"embedding matrix: {ids.Count} ids × {dimension} dimensions needs {(long)ids.Count * dimension} values, got {values.LongLength}");
        Ids = ids;
        Values = values;
        Dimension = dimension;
    }

    public IReadOnlyList<string> Ids { get; }
    public float[] Values { get; }
    public int Dimension { get; }
    public int Count => Ids.Count;
}
