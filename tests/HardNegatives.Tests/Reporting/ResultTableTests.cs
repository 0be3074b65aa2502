using HardNegatives.Negatives;
using HardNegatives.Reporting;

namespace HardNegatives.Tests.Reporting;

public class ResultTableTests
{
    static EvaluatedRun Run(string row, string ds, int seed, params double[] perQuery) =>
        new(row, ds, seed, perQuery.Select((v, i) => (v, i)).ToDictionary(x => $"q{x.i}", x => x.v));

    static readonly EvaluatedRun[] Runs =
    [
        Run("BM25", "a", 1, 0.5, 0.7), Run("BM25", "a", 2, 0.7, 0.9),   // means 0.6, 0.8 → 0.7 ± 0.1414
        Run("BM25", "b", 1, 0.2, 0.2), Run("BM25", "b", 2, 0.4, 0.4),   // means 0.2, 0.4 → 0.3 ± 0.1414
        Run("LLM", "a", 1, 0.9, 0.9), Run("LLM", "a", 2, 0.9, 0.9),     // 0.9 ± 0
        Run("LLM", "b", 1, 0.1, 0.1),                                    // only one seed on b
    ];

    [Fact]
    public void CellsAreMeanAndSampleSdOverSeedsAndTheAverageUsesOnlyCompleteSeeds()
    {
        var t = ResultTableBuilder.Build("nDCG@10", Runs);
        Assert.Equal(["a", "b", "Avg"], t.Columns);
        Assert.Equal(0.7, t.Cell("BM25", "a")!.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), t.Cell("BM25", "a")!.StdDev, 12);
        // BM25 Avg: seed 1 → (0.6+0.2)/2 = 0.4; seed 2 → (0.8+0.4)/2 = 0.6 → 0.5 ± sqrt(0.02)
        Assert.Equal(0.5, t.Cell("BM25", "Avg")!.Mean, 12);
        // LLM Avg: only seed 1 has both datasets → (0.9+0.1)/2
        Assert.Equal(0.5, t.Cell("LLM", "Avg")!.Mean, 12);
        Assert.Equal(1, t.Cell("LLM", "Avg")!.Seeds);
        Assert.True(t.Cell("LLM", "a")!.IsBest);
        Assert.True(t.Cell("BM25", "b")!.IsBest);
        Assert.True(t.Cell("BM25", "Avg")!.IsBest && t.Cell("LLM", "Avg")!.IsBest); // ties are both marked
    }

    [Fact]
    public void SignificanceIsTestedAgainstTheReferenceOnPerSeedPerQueryScores()
    {
        var seen = new List<(double[][] A, double[][] B)>();
        var t = ResultTableBuilder.Build("nDCG@10", Runs, "BM25", (a, b) => { seen.Add((a.Select(s => s.ToArray()).ToArray(), b.Select(s => s.ToArray()).ToArray())); return 0.01; });
        Assert.Equal(2, seen.Count); // LLM on a and on b
        Assert.Equal([[0.9, 0.9], [0.9, 0.9]], seen[0].A); // per seed, per query: seeds are not averaged away
        Assert.Equal([[0.5, 0.7], [0.7, 0.9]], seen[0].B); // BM25 seed 1 (q0, q1), seed 2 (q0, q1)
        Assert.True(t.Cell("LLM", "a")!.Significant);
        Assert.Null(t.Cell("BM25", "a")!.AdjustedP);
    }

    [Fact]
    public void ExportsMarkBestAndNotRunRows()
    {
        var t = ResultTableBuilder.Build("nDCG@10", Runs, notRun: [new NotRunRow("Qwen3-14B", "no LLM endpoint configured", "sources[3].endpoints = [...]")]);
        var md = ResultTableExport.ToMarkdown(t);
        Assert.Contains("| LLM | **0.9000 ± 0.0000** |", md);
        Assert.Contains("| Qwen3-14B | not run | not run | not run |", md);
        Assert.Contains("enable with `sources[3].endpoints = [...]`", md);
        var tex = ResultTableExport.ToLatex(t);
        Assert.Contains(@"\textbf{0.9000 $\pm$ 0.0000}", tex);
        var html = ResultTableExport.ToHtml(t);
        Assert.Contains("font-weight:bold;", html);
        var df = t.ToDataFrame();
        Assert.Equal(2, df.Rows.Count);
        Assert.Equal(0.7, (double)df["a"][0]!, 12);
    }

    [Fact]
    public void FiguresAreSelfContainedHtmlWithPlotlyJsEmbedded()
    {
        var chart = Figures.GeneratorScaling([new("scifact", 4, 0.61), new("scifact", 14, 0.64), new("scifact", 30, 0.62)]);
        var html = Figures.ToStandaloneHtml(chart);
        Assert.DoesNotMatch("<script[^>]+src=\"https?://", html); // plotly.js's own source mentions its CDN; no tag may load it
        Assert.True(html.Length > 1_000_000, "plotly.js (~3 MB) should be inlined");
        Assert.Contains("Generator size", html);
        var bars = Figures.ToHtmlFragment(Figures.GroupedBars(ResultTableBuilder.Build("nDCG@10", Runs)));
        Assert.Contains("\"type\":\"bar\"", bars);
    }

    [Fact]
    public async Task DiagnosticsMeasureOverlapLengthAndCrossEncoderOrdering()
    {
        var triples = new[]
        {
            new Triple("q1", "red apples", "p1", "red apples are sweet", [new Negative("n1", "green apples are sour"), new Negative("n2", "red apples are sweet")], "test"),
        };
        // CE: positive scores 1; n1 scores 0 (below), n2 scores 2 (above) → false-negative rate 0.5
        var d = await NegativeDiagnostics.ComputeAsync("test", triples, pairs => Task.FromResult<IReadOnlyList<float>>([1f, 0f, 2f]));
        // n1 vs positive: {green,apples,are,sour} vs {red,apples,are,sweet}: 2 / 6; n2: 1 → mean (1/3 + 1)/2
        Assert.Equal((1.0 / 3 + 1) / 2, d.MeanOverlapWithPositive, 12);
        Assert.Equal(1.0, d.MeanLengthRatio, 12);
        Assert.Equal(0.5, d.FalseNegativeRate);
    }
}

/// <summary>Table 1's significance accounts for seeds, and α is the spec's.</summary>
public class SeedQueryBootstrapTests
{
    static IReadOnlyList<IReadOnlyList<double>> Seeds(params double[][] s) => s.Select(x => (IReadOnlyList<double>)x).ToList();

    [Fact]
    public void SeedVarianceMakesADifferenceLessCertain()
    {
        double[] Q(double shift) => Enumerable.Range(0, 60).Select(i => 0.4 + 0.01 * (i % 7) + shift).ToArray();
        var baseline = Seeds(Q(0), Q(0), Q(0));
        // Same mean gain (+0.03) in both; stable over seeds vs. a seed lottery (+0.09, −0.03, +0.03).
        var stable = Seeds(Q(0.03), Q(0.03), Q(0.03));
        var lottery = Seeds(Q(0.09), Q(-0.03), Q(0.03));
        var pStable = HardNegatives.Evaluation.Significance.SeedQueryBootstrap.PValue(stable, baseline, 2000);
        var pLottery = HardNegatives.Evaluation.Significance.SeedQueryBootstrap.PValue(lottery, baseline, 2000);
        Assert.True(pStable < 0.01, $"stable {pStable}");
        Assert.True(pLottery > pStable * 5, $"lottery {pLottery} vs stable {pStable}");
        // One-level (seed-averaged) scores cannot tell the two apart: their per-query means are identical.
        Assert.Equal(stable.Select(s => s.Average()).Average(), lottery.Select(s => s.Average()).Average(), 12);
        Assert.Equal(HardNegatives.Evaluation.Significance.SeedQueryBootstrap.PValue(stable, baseline, 500, seed: 3),
            HardNegatives.Evaluation.Significance.SeedQueryBootstrap.PValue(stable, baseline, 500, seed: 3)); // deterministic
    }

    [Fact]
    public void AlphaComesFromTheCallerAndAppearsInTheLegend()
    {
        EvaluatedRun Run(string row, int seed, double v) => new(row, "a", seed, new Dictionary<string, double> { ["q1"] = v, ["q2"] = v });
        EvaluatedRun[] runs = [Run("BM25", 1, 0.5), Run("BM25", 2, 0.5), Run("LLM", 1, 0.6), Run("LLM", 2, 0.6)];
        var strict = ResultTableBuilder.Build("nDCG@10", runs, "BM25", (a, b) => 0.02, alpha: 0.01, note: "per-dataset means over all judged queries");
        var loose = ResultTableBuilder.Build("nDCG@10", runs, "BM25", (a, b) => 0.02, alpha: 0.05);
        Assert.False(strict.Cell("LLM", "a")!.Significant);
        Assert.True(loose.Cell("LLM", "a")!.Significant);
        var md = ResultTableExport.ToMarkdown(strict);
        Assert.Contains("two-level paired bootstrap over queries × seeds", md);
        Assert.Contains("p < 0.01", md);
        Assert.Contains("all judged queries", md);
    }
}
