using System.Globalization;
using System.Text;

namespace HardNegatives.Mining;

/// <summary>A query that got fewer negatives than asked for.</summary>
public sealed record ShortQuery(string QueryId, int Found, int Wanted, int Candidates, int Eligible);

/// <summary>
/// Running totals of a mining run and the diagnostic table sentence-transformers prints at the end of
/// <c>mine_hard_negatives</c>: positive vs negative score statistics and their difference (per row, positive minus each
/// negative), how many candidates each rule skipped, and how many queries came up short. Memory is bounded
/// (see <see cref="ScoreStatistics"/>; at most <see cref="MaxShortQueriesKept"/> short queries are listed).
/// </summary>
public sealed class MiningSummary
{
    public const int MaxShortQueriesKept = 1000;

    readonly List<ShortQuery> _short = [];

    public MiningSummary(HardNegativeMiningOptions options, string source)
    {
        Options = options;
        Source = source;
    }

    public HardNegativeMiningOptions Options { get; }
    public string Source { get; }
    public long Queries { get; private set; }
    public long Rows { get; private set; }
    public long Negatives { get; private set; }
    public long Candidates { get; private set; }
    public long QueriesShort { get; private set; }
    public long QueriesWithoutNegatives { get; private set; }
    public long PositivesMissing { get; private set; }
    public SkipCounts Skipped { get; private set; } = new();
    public ScoreStatistics PositiveScores { get; } = new();
    public ScoreStatistics NegativeScores { get; } = new();
    public ScoreStatistics Differences { get; } = new();
    /// <summary>The first <see cref="MaxShortQueriesKept"/> queries with a shortfall; <see cref="QueriesShort"/> counts all.</summary>
    public IReadOnlyList<ShortQuery> ShortQueries => _short;

    /// <summary>Adds one query's selection and the scores of the positives written with it.</summary>
    public void Add(NegativeSelection selection, IReadOnlyList<double> writtenPositiveScores, int positivesMissing = 0)
    {
        Queries++;
        Candidates += selection.Candidates;
        Skipped += selection.Skipped;
        PositivesMissing += positivesMissing;
        if (selection.Shortfall > 0)
        {
            QueriesShort++;
            if (_short.Count < MaxShortQueriesKept)
                _short.Add(new ShortQuery(selection.QueryId, selection.Negatives.Count, Options.NumNegatives, selection.Candidates, selection.Eligible));
        }
        if (selection.Negatives.Count == 0) { QueriesWithoutNegatives++; return; }
        foreach (var p in writtenPositiveScores)
        {
            Rows++;
            PositiveScores.Add(p);
            foreach (var n in selection.Negatives)
            {
                Negatives++;
                NegativeScores.Add(n.Score);
                Differences.Add(p - n.Score);
            }
        }
    }

    /// <summary>The diagnostic table and notes, as plain text.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Mined {Source} negatives for {Queries:N0} queries: {Rows:N0} rows, {Negatives:N0} (query, positive, negative) pairs, " +
            $"{(Rows == 0 ? 0 : (double)Negatives / Rows):F2} negatives per row (wanted {Options.NumNegatives}).");
        var (p, n, d) = (PositiveScores.Summarize(), NegativeScores.Summarize(), Differences.Summarize());
        const string row = "{0,-6} {1,14} {2,14} {3,14}";
        sb.AppendLine(string.Format(inv, row, "Metric", "Positive", "Negative", "Difference"));
        sb.AppendLine(string.Format(inv, row, "Count", p.Count.ToString("N0", inv), n.Count.ToString("N0", inv), ""));
        foreach (var (name, pick) in new (string, Func<ScoreSummary, double>)[]
                 { ("Mean", s => s.Mean), ("Median", s => s.Median), ("Std", s => s.Std), ("Min", s => s.Min),
                   ("25%", s => s.P25), ("50%", s => s.Median), ("75%", s => s.P75), ("Max", s => s.Max) })
            sb.AppendLine(string.Format(inv, row, name, pick(p).ToString("F4", inv), pick(n).ToString("F4", inv), pick(d).ToString("F4", inv)));
        if (NegativeScores.Sampled) sb.AppendLine(inv, $"(quartiles from a uniform sample of {ScoreStatistics.ReservoirSize:N0} values per column)");
        long remaining = Candidates;
        void Skip(string rule, long count, object? value)
        {
            if (count == 0) return;
            sb.AppendLine(inv, $"Skipped {count:N0} potential negatives ({Percent(count, remaining)}) due to {rule}{(value is null ? "" : $" of {value}")}.");
            remaining -= count;
        }
        Skip("being known positives", Skipped.Positives, null);
        Skip("the absolute_margin", Skipped.AbsoluteMargin, Options.AbsoluteMargin);
        Skip("the relative_margin", Skipped.RelativeMargin, Options.RelativeMargin);
        Skip("the max_score", Skipped.MaxScore, Options.MaxScore);
        Skip("the min_score", Skipped.MinScore, Options.MinScore);
        if (PositivesMissing > 0) sb.AppendLine(inv, $"{PositivesMissing:N0} positives are not in the corpus and were left out.");
        if (QueriesShort > 0)
            sb.AppendLine(inv, $"Could not find enough negatives for {QueriesShort:N0} queries ({Percent(QueriesShort, Queries)}; " +
                $"{QueriesWithoutNegatives:N0} with none, which got no row). Consider widening the range or loosening the score filters. " +
                $"First: {string.Join(", ", _short.Take(10).Select(s => $"{s.QueryId} ({s.Found}/{s.Wanted})"))}");
        return sb.ToString();
    }

    public override string ToString() => Format();

    static string Percent(long part, long whole) =>
        (whole == 0 ? 0 : 100.0 * part / whole).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
