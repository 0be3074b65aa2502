using HardNegatives.Evaluation;
using HardNegatives.Mining;
using HardNegatives.Reporting;

namespace HardNegatives.Interactive.Formatting;

/// <summary>HTML for the library's result types: Table 1, one run's evaluation, a mining run's diagnostic summary.</summary>
public static class KitResultsHtml
{
    /// <summary>The paper's Table 1 as the library renders it (bold best, † significance, not-run rows with their switch).</summary>
    public static string Render(ResultTable table) => Html.Wrap(ResultTableExport.ToHtml(table));

    /// <summary>The aggregate measures of one evaluated run (trec_eval's <c>all</c> lines) and how many queries were averaged.</summary>
    public static string Render(EvaluationResult result) =>
        Html.Wrap(Html.Table($"evaluation{(result.RunTag is { } tag ? $" of {tag}" : "")}: mean over {result.AveragedOver} queries",
            ["measure", "value", "aggregation"],
            result.Summary.Select(s => (IReadOnlyList<object?>)[s.Name, s.Value, s.Aggregation.ToString()])));

    /// <summary>The mining diagnostic table (score statistics, skipped candidates, short queries), as text.</summary>
    public static string Render(MiningSummary summary) =>
        Html.Wrap($"<pre style=\"margin:0\">{Html.Encode(summary.Format())}</pre>");
}
