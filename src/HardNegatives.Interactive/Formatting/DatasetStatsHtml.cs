using System.Text;
using HardNegatives.Data;

namespace HardNegatives.Interactive.Formatting;

/// <summary><see cref="DatasetStats"/> as the three tables <c>hn data stats</c> prints: sizes, splits, text lengths.</summary>
public static class DatasetStatsHtml
{
    public static string Render(DatasetStats s)
    {
        var sb = new StringBuilder();
        sb.Append(Html.Table($"dataset {s.Name}", ["documents", "queries"], [[s.Documents, s.Queries]]));
        sb.Append(Html.Table("qrels per split", ["split", "queries", "judgments", "per query", "grade-0 rows"],
            s.Splits.Select(sp => (IReadOnlyList<object?>)[sp.Split, sp.Queries, sp.Judgments, sp.JudgmentsPerQuery, sp.ZeroGradeRows])));
        sb.Append(Html.Table("text length (whitespace tokens)", ["text", "count", "mean", "min", "median", "p90", "max"],
            new[] { ("documents", s.DocumentLengths), ("queries", s.QueryLengths) }
                .Select(x => (IReadOnlyList<object?>)[x.Item1, x.Item2.Count, x.Item2.Mean, x.Item2.Min, x.Item2.Median, x.Item2.P90, x.Item2.Max])));
        return Html.Wrap(sb.ToString());
    }
}
