using HardNegatives.Mining;

namespace HardNegatives.Tests.Mining;

public sealed class MiningSummaryTests
{
    [Fact]
    public void Table_ShowsScoreStatisticsSkipsAndShortQueries()
    {
        var options = new HardNegativeMiningOptions(NumNegatives: 2, RangeMax: 10, MaxScore: 5);
        var summary = new MiningSummary(options, "bm25");
        // q1: positive 10, negatives 4 and 2 → differences 6, 8. q2: positive 6, one negative 3 (short by 1) → difference 3.
        summary.Add(new NegativeSelection("q1", [new("a", 4), new("b", 2)], 10, new SkipCounts(Positives: 1, MaxScore: 3), 10, 6, 6, 0), [10]);
        summary.Add(new NegativeSelection("q2", [new("c", 3)], 6, new SkipCounts(MaxScore: 1), 10, 1, 1, 1), [6]);
        summary.Add(new NegativeSelection("q3", [], 1, new SkipCounts(), 0, 0, 0, 2), [1]);

        Assert.Equal((3L, 2L, 3L, 2L, 1L), (summary.Queries, summary.Rows, summary.Negatives, summary.QueriesShort, summary.QueriesWithoutNegatives));
        var p = summary.PositiveScores.Summarize();
        Assert.Equal((2L, 8.0, 6.0, 10.0), (p.Count, p.Mean, p.Min, p.Max));
        var n = summary.NegativeScores.Summarize();
        Assert.Equal(3.0, n.Mean);
        Assert.Equal(3.0, n.Median);
        Assert.Equal(1.0, n.Std, 12); // sample std of 4, 2, 3
        Assert.Equal(2.5, n.P25, 12); // linear interpolation, as torch.quantile
        var d = summary.Differences.Summarize();
        Assert.Equal(17.0 / 3, d.Mean, 12);

        var text = summary.Format();
        Assert.Contains("Metric       Positive       Negative     Difference", text);
        Assert.Contains("Skipped 1 potential negatives (5.00%) due to being known positives.", text);
        // 20 candidates - 1 positive = 19 left when max_score is applied: 4 of 19.
        Assert.Contains("Skipped 4 potential negatives (21.05%) due to the max_score of 5.", text);
        Assert.Contains("Could not find enough negatives for 2 queries (66.67%; 1 with none", text);
        Assert.Equal(["q2", "q3"], summary.ShortQueries.Select(s => s.QueryId));
    }

    [Fact]
    public void ScoreStatistics_SamplesQuartilesBeyondTheReservoir_ButKeepsExactMoments()
    {
        var stats = new ScoreStatistics();
        int n = ScoreStatistics.ReservoirSize * 3;
        for (int i = 0; i < n; i++) stats.Add(i);
        var s = stats.Summarize();
        Assert.True(stats.Sampled);
        Assert.Equal((n - 1) / 2.0, s.Mean, 6);
        Assert.Equal(0, s.Min);
        Assert.Equal(n - 1, s.Max);
        Assert.InRange(s.Median, n * 0.48, n * 0.52); // uniform sample of 100k: within 2 %
    }
}
