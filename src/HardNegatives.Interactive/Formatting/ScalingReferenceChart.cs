using HardNegatives.Reporting;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace HardNegatives.Interactive.Formatting;

/// <summary>
/// The generator-scaling figure with the table's non-LLM rows (e.g. BM25 negatives, random negatives, the untrained BM25
/// baseline) drawn as dashed horizontal reference lines across the generator sizes, so an LLM point reads as "above or
/// below the baselines". Every y value is a measured cell of the table; rows without a cell in the column are left out.
/// </summary>
public static class ScalingReferenceChart
{
    /// <param name="points">The LLM points (<c>ExperimentReport.ScalingPoints</c>); may be empty when no generator ran.</param>
    /// <param name="table">The result table the reference rows come from.</param>
    /// <param name="referenceRows">Rows to draw as lines.</param>
    /// <param name="generatorSizes">The sizes the x axis should span (the spec's LLM sources, run or not).</param>
    /// <param name="column">The table column: a dataset, or <see cref="ResultTable.AverageColumn"/>; the points of the
    /// matching series are drawn (series "Average" for the average column).</param>
    public static GenericChart Create(IEnumerable<Figures.ScalingPoint> points, ResultTable table, IEnumerable<string> referenceRows,
        IEnumerable<double> generatorSizes, string column)
    {
        var series = column == ResultTable.AverageColumn ? "Average" : column;
        var shown = points.Where(p => p.Series == series).ToList();
        var sizes = generatorSizes.Concat(shown.Select(p => p.GeneratorSizeBillions)).ToList();
        double left = 0, right = sizes.Count > 0 ? sizes.Max() * 1.25 : 10;
        var charts = new List<GenericChart>();
        if (shown.Count > 0) charts.Add(Figures.GeneratorScaling(shown, table.Metric));
        foreach (var row in referenceRows)
            if (table.Cell(row, column) is { } cell)
                charts.Add(CSharpChart.Line<double, double, string>(x: [left, right], y: [cell.Mean, cell.Mean], Name: $"{row} (reference)",
                    LineDash: StyleParam.DrawingStyle.Dash));
        if (charts.Count == 0) throw new ArgumentException($"nothing to draw: no LLM points for '{series}' and no reference row has a cell in column '{column}'");
        var title = shown.Count > 0 ? "Does a bigger generator give better negatives?" : "Generator scaling: no LLM points yet (reference rows only)";
        return Plotly.NET.Chart.withTitle(title, null).Invoke(CSharpChart.Combine(charts)
            .WithXAxisStyle<double, double, string>(TitleText: "Generator size (billions of parameters)")
            .WithYAxisStyle<double, double, string>(TitleText: $"{table.Metric} ({column})"));
    }
}
