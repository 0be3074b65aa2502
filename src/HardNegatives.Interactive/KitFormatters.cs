using HardNegatives.Data;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Interactive.Progress;
using HardNegatives.Negatives;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace HardNegatives.Interactive;

/// <summary>
/// Registers the kit's HTML formatters with Microsoft.DotNet.Interactive.Formatting. The package's kernel extension
/// (<c>interactive-extensions/dotnet/HardNegatives.Interactive.Extension.dll</c>) calls <see cref="Register"/> when a notebook
/// runs <c>#r "nuget: HardNegatives.Interactive"</c>; the formatters are process-wide, so C# and F# cells share them.
/// </summary>
public static class KitFormatters
{
    static int registered;

    /// <summary>The types that get a kit formatter, in registration order.</summary>
    public static IReadOnlyList<Type> FormattedTypes { get; } =
    [
        typeof(DataFrame), typeof(Triple), typeof(IEnumerable<Triple>), typeof(DatasetStats), typeof(TrainingCurve),
        typeof(IReadOnlyList<TrainingCurve>), typeof(GenericChart), typeof(ProgressView), typeof(RecordTable),
        typeof(HardNegatives.Reporting.ResultTable), typeof(HardNegatives.Evaluation.EvaluationResult), typeof(HardNegatives.Mining.MiningSummary),
        typeof(Facade.MinedNegatives), typeof(Facade.ExperimentResult), typeof(Facade.TrainedRetriever),
        typeof(Facade.GeneratedNegatives), typeof(Facade.SystemsComparison),
    ];

    /// <summary>Registers every formatter once per process (later calls do nothing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        const string html = "text/html";
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(DataFrameHtml.Render(frame)), html);
        Formatter.Register<Triple>((triple, writer) => writer.Write(TripleHtml.Render(triple)), html);
        Formatter.Register<IEnumerable<Triple>>((triples, writer) => writer.Write(TripleHtml.Render(triples)), html);
        Formatter.Register<DatasetStats>((stats, writer) => writer.Write(DatasetStatsHtml.Render(stats)), html);
        Formatter.Register<TrainingCurve>((curve, writer) => writer.Write(TrainingCurveHtml.Render(curve)), html);
        Formatter.Register<IReadOnlyList<TrainingCurve>>((curves, writer) => writer.Write(TrainingCurveHtml.Render(curves)), html);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlotlyHtml.Render(chart)), html);
        Formatter.Register<ProgressView>((view, writer) => writer.Write(view.ToHtml()), html);
        Formatter.Register<RecordTable>((table, writer) => writer.Write(table.ToHtml()), html);
        Formatter.Register<HardNegatives.Reporting.ResultTable>((table, writer) => writer.Write(KitResultsHtml.Render(table)), html);
        Formatter.Register<HardNegatives.Reporting.ResultTable>((table, writer) => writer.Write(HardNegatives.Reporting.ResultTableExport.ToMarkdown(table)), "text/plain");
        Formatter.Register<HardNegatives.Evaluation.EvaluationResult>((result, writer) => writer.Write(KitResultsHtml.Render(result)), html);
        Formatter.Register<HardNegatives.Evaluation.EvaluationResult>((result, writer) =>
            writer.Write(string.Join("\n", result.Summary.Select(s => $"{s.Name,-16} all {s.Value:0.0000}"))), "text/plain");
        Formatter.Register<HardNegatives.Mining.MiningSummary>((summary, writer) => writer.Write(KitResultsHtml.Render(summary)), html);
        Formatter.Register<HardNegatives.Mining.MiningSummary>((summary, writer) => writer.Write(summary.Format()), "text/plain");
        Formatter.Register<RecordTable>((table, writer) => writer.Write(table.ToString()), "text/plain");
        Formatter.Register<Facade.MinedNegatives>((mined, writer) => writer.Write(mined.ToHtml()), html);
        Formatter.Register<Facade.MinedNegatives>((mined, writer) => writer.Write(mined.ToString()), "text/plain");
        Formatter.Register<Facade.ExperimentResult>((result, writer) => writer.Write(result.ToHtml()), html);
        Formatter.Register<Facade.ExperimentResult>((result, writer) => writer.Write(result.ToString()), "text/plain");
        Formatter.Register<Facade.TrainedRetriever>((trained, writer) => writer.Write(trained.ToHtml()), html);
        Formatter.Register<Facade.TrainedRetriever>((trained, writer) => writer.Write(trained.ToString()), "text/plain");
        Formatter.Register<Facade.GeneratedNegatives>((generated, writer) => writer.Write(generated.ToHtml()), html);
        Formatter.Register<Facade.GeneratedNegatives>((generated, writer) => writer.Write(generated.ToString()), "text/plain");
        Formatter.Register<Facade.SystemsComparison>((comparison, writer) => writer.Write(comparison.ToHtml()), html);
        Formatter.Register<Facade.SystemsComparison>((comparison, writer) => writer.Write(comparison.ToString()), "text/plain");
        // Plain text that says something useful where HTML is not shown (terminals, the runner's text/plain output).
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(frame.ToString()), "text/plain");
        Formatter.Register<ProgressView>((view, writer) => writer.Write(view.ToString()), "text/plain");
        Formatter.Register<GenericChart>((chart, writer) => writer.Write($"[Plotly chart: {GenericChart.countTrace(chart)} trace(s)]"), "text/plain");
        Formatter.Register<TrainingCurve>((curve, writer) => writer.Write(
            curve.Points.Count == 0 ? $"{curve.Label}: no steps" : $"{curve.Label}: {curve.Points.Count} points, last step {curve.Points[^1].Step} loss {curve.Points[^1].Loss:0.####}"), "text/plain");
    }

    /// <summary>HTML for any value: the registered formatter's output (the kit's, or the library's default table/tree).</summary>
    public static string ToHtml(object? value)
    {
        Register();
        return value.ToDisplayString(HtmlFormatter.MimeType);
    }

    /// <summary>Plain text for any value, as the notebook's text/plain output shows it.</summary>
    public static string ToPlainText(object? value)
    {
        Register();
        return value.ToDisplayString(PlainTextFormatter.MimeType);
    }
}
