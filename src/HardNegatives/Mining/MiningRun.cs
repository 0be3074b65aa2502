using HardNegatives.Data;
using HardNegatives.Negatives;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Mining;

/// <summary>A miner's row stream: <c>Mine(queries, maxPositives, summary, progress, total, ct)</c> (BM25 and cross-encoder alike).</summary>
public delegate IEnumerable<Triple> MineRows(IReadOnlyList<MiningQuery> queries, int maxPositives, MiningSummary summary,
    IProgress<Bm25Progress>? progress, int? total, CancellationToken cancellationToken);

/// <summary>
/// Runs a miner over a split's training queries into a triples file (Parquet when the path ends in <c>.parquet</c>,
/// otherwise JSONL), written as rows come and renamed into place at the end. Shared by every miner.
/// </summary>
public static class MiningRun
{
    /// <param name="limit">Mine only the first N training queries (0 = all), for quick runs.</param>
    public static async Task<MiningSummary> ToFileAsync(MineRows mine, HardNegativeMiningOptions options, string source,
        BeirDataset dataset, string split, string outputPath, IProgress<Bm25Progress>? progress = null, int limit = 0,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<MiningQuery> queries = Bm25NegativeMiner.TrainingQueries(dataset, split);
        if (limit > 0) queries = queries.Take(limit).ToList();
        if (queries.Count == 0) throw new InvalidDataException($"{dataset.QrelsPath(split)}: no query has a positive (grade > 0)");
        var summary = new MiningSummary(options, source);
        var rows = mine(queries, queries.Max(q => q.ExcludedIds.Count), summary, progress, queries.Count, cancellationToken);
        if (outputPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) await TriplesParquet.WriteAsync(outputPath, rows, cancellationToken);
        else await TriplesFile.WriteAsync(outputPath, rows, cancellationToken);
        return summary;
    }
}
