using HardNegatives.Interactive.Formatting;
using HardNegatives.Reporting;

namespace HardNegatives.Tests.Interactive;

public class ScalingReferenceChartTests
{
    static ResultTable Table() => ResultTableBuilder.Build("nDCG@10",
    [
        new EvaluatedRun("BM25", "scifact", 1, new Dictionary<string, double> { ["q1"] = 0.2, ["q2"] = 0.4 }),
        new EvaluatedRun("Qwen3-4B", "scifact", 1, new Dictionary<string, double> { ["q1"] = 0.5, ["q2"] = 0.7 }),
    ], notRun: [new NotRunRow("Cross-encoder", "no model", "sources[1].model")]);

    static string Html(Plotly.NET.GenericChart chart) => Figures.ToHtmlFragment(chart);

    [Fact]
    public void DrawsMeasuredRowsAsFlatLines_AndSkipsRowsWithoutACell()
    {
        var html = Html(ScalingReferenceChart.Create([], Table(), ["BM25", "Cross-encoder"], [4, 8], "scifact"));
        Assert.Contains("BM25 (reference)", html);
        Assert.DoesNotContain("Cross-encoder (reference)", html);
        Assert.Contains("[0.30000000000000004,0.30000000000000004]", html.Replace(" ", ""));   // mean of 0.2 and 0.4, both ends
        Assert.Contains("[0.0,10.0]", html.Replace(" ", ""));                                    // x spans 0 … 1.25 × the largest size
        Assert.Contains("no LLM points yet", html);
    }

    [Fact]
    public void WithLlmPoints_DrawsTheirSeriesToo()
    {
        var table = Table();
        var html = Html(ScalingReferenceChart.Create([new Figures.ScalingPoint("scifact", 4, table.Cell("Qwen3-4B", "scifact")!.Mean)], table, ["BM25"], [4], "scifact"));
        Assert.Contains("\"name\":\"scifact\"", html.Replace(" ", ""));
        Assert.Contains("Does a bigger generator give better negatives?", html);
    }

    [Fact]
    public void NothingToDraw_SaysSo() =>
        Assert.Contains("nothing to draw", Assert.Throws<ArgumentException>(() => ScalingReferenceChart.Create([], Table(), ["Cross-encoder"], [4], "scifact")).Message);
}
