namespace HardNegatives.Data;

/// <summary>Summary statistics of a text field, lengths in whitespace-separated tokens.</summary>
public sealed record LengthStats(long Count, double Mean, int Min, int Median, int P90, int Max)
{
    public static LengthStats Of(IReadOnlyList<int> lengths)
    {
        if (lengths.Count == 0) return new LengthStats(0, 0, 0, 0, 0, 0);
        var sorted = lengths.Order().ToArray();
        return new LengthStats(sorted.Length, sorted.Average(), sorted[0], Percentile(sorted, 0.5), Percentile(sorted, 0.9), sorted[^1]);
    }

    // Nearest-rank percentile: the smallest value with at least p of the data at or below it.
    static int Percentile(int[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>Counts for one qrels split.</summary>
public sealed record SplitStats(string Split, int Queries, int Judgments, double JudgmentsPerQuery, int ZeroGradeRows);

/// <summary>What <c>hn data stats</c> prints: corpus and query counts, per-split judgments, text lengths.</summary>
public sealed record DatasetStats(string Name, long Documents, int Queries, IReadOnlyList<SplitStats> Splits,
    LengthStats DocumentLengths, LengthStats QueryLengths)
{
    /// <summary>Computes the statistics, streaming the corpus once.</summary>
    public static DatasetStats Compute(BeirDataset dataset)
    {
        var docLengths = new List<int>();
        foreach (var d in dataset.StreamCorpus()) docLengths.Add(WhitespaceTokens(d.FullText));
        var queries = dataset.LoadQueries();
        var splits = dataset.Splits.Select(split =>
        {
            var qrels = dataset.LoadQrels(split);
            int queryCount = qrels.Select(q => q.QueryId).Distinct().Count();
            return new SplitStats(split, queryCount, qrels.Count, queryCount == 0 ? 0 : (double)qrels.Count / queryCount, qrels.Count(q => q.Grade == 0));
        }).ToList();
        return new DatasetStats(dataset.Name, docLengths.Count, queries.Count, splits,
            LengthStats.Of(docLengths), LengthStats.Of(queries.Values.Select(q => WhitespaceTokens(q.Text)).ToList()));
    }

    public static int WhitespaceTokens(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
