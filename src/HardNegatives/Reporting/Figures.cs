using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace HardNegatives.Reporting;

/// <summary>
/// The paper's figures with Plotly.NET. Saved HTML embeds plotly.js itself (≈3 MB), so it displays offline; the CDN default
/// would render blank without internet.
/// </summary>
public static class Figures
{
    /// <summary>One point of the generator-scaling figure.</summary>
    public sealed record ScalingPoint(string Series, double GeneratorSizeBillions, double Value);

    /// <summary>Generator size on x, metric on y, one line per dataset (and the average).</summary>
    public static GenericChart GeneratorScaling(IEnumerable<ScalingPoint> points, string metric = "nDCG@10")
    {
        var lines = points.GroupBy(p => p.Series).Select(g =>
        {
            var ordered = g.OrderBy(p => p.GeneratorSizeBillions).ToList();
            return CSharpChart.Line<double, double, string>(
                x: ordered.Select(p => p.GeneratorSizeBillions), y: ordered.Select(p => p.Value),
                ShowMarkers: true, Name: ReportText.Plotly(g.Key));
        });
        return CSharpChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "Generator size (billions of parameters)")
            .WithYAxisStyle<double, double, string>(TitleText: ReportText.Plotly(metric))
            .Titled("Does a bigger generator give better negatives?");
    }

    /// <summary>Grouped bars: one group per dataset, one bar per row (negative source) of the result table.</summary>
    public static GenericChart GroupedBars(ResultTable table)
    {
        var bars = table.Rows.Select(row =>
        {
            var columns = table.Columns.Where(c => table.Cell(row, c) is not null).ToList();
            return CSharpChart.Column<double, string, string>(
                values: columns.Select(c => table.Cell(row, c)!.Mean), Keys: columns.Select(ReportText.Plotly).ToList(), Name: ReportText.Plotly(row));
        });
        return CSharpChart.Combine(bars)
            .WithYAxisStyle<double, double, string>(TitleText: ReportText.Plotly(table.Metric))
            // plotly.js groups bar traces by default (barmode "group").
            .Titled($"{ReportText.Plotly(table.Metric)} per dataset and negative source");
    }

    /// <summary>A complete, self-contained HTML page (plotly.js embedded).</summary>
    public static string ToStandaloneHtml(GenericChart chart) =>
        GenericChart.toEmbeddedHTML(GenericChart.setDisplayOptions(
            DisplayOptions.init(null, null, null, null, null, null, Some(PlotlyJSReference.Full)), chart));

    /// <summary>Just the chart's div and script (for pages that include plotly.js once).</summary>
    public static string ToHtmlFragment(GenericChart chart) => GenericChart.toChartHTML(chart);

    /// <summary>Writes <see cref="ToStandaloneHtml"/> atomically.</summary>
    public static void Save(GenericChart chart, string path) => Data.AtomicFile.WriteAllText(path, ToStandaloneHtml(chart));

    static GenericChart Titled(this GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

    // Plotly.NET's F# optional parameters are plain FSharpOption parameters from C#: null is None.
    static FSharpOption<T> Some<T>(T value) => FSharpOption<T>.Some(value);
}
