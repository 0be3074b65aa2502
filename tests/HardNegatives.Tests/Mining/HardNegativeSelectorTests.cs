using HardNegatives.Mining;

namespace HardNegatives.Tests.Mining;

/// <summary>The selection rules on small hand-made candidate lists; every expected list is worked out by hand in the comments.</summary>
public sealed class HardNegativeSelectorTests
{
    // Ranked candidates d1..d10 with scores 10, 9, …, 1; d3 and d6 are the query's positives.
    static readonly IReadOnlyList<ScoredCandidate> Ten = Enumerable.Range(1, 10).Select(i => new ScoredCandidate($"d{i}", 11 - i, i)).ToList();
    static readonly IReadOnlyList<ScoredCandidate> Positives = [new("d3", 8), new("d6", 5)];

    static string[] Ids(NegativeSelection s) => s.Negatives.Select(n => n.DocumentId).ToArray();

    [Fact]
    public void Top_TakesWindowOverCandidatesLeftAfterPositives()
    {
        // Without positives: d1 d2 d4 d5 d7 d8 d9 d10 (8 eligible); window [2, 6) = d4 d5 d7 d8; top 3 = d4 d5 d7.
        var s = HardNegativeSelector.Select("q", Positives, Ten, new HardNegativeMiningOptions(NumNegatives: 3, RangeMin: 2, RangeMax: 6));
        Assert.Equal(["d4", "d5", "d7"], Ids(s));
        Assert.Equal(new SkipCounts(Positives: 2), s.Skipped);
        Assert.Equal((10, 8, 4, 0), (s.Candidates, s.Eligible, s.WindowSize, s.Shortfall));
        Assert.Equal([4, 5, 7], s.Negatives.Select(n => n.Rank).ToArray()); // first-stage ranks are kept
        Assert.Equal(5, s.LowestPositiveScore);
    }

    [Fact]
    public void AbsoluteMargin_DropsCandidatesWithinMarginOfLowestPositive()
    {
        // Lowest positive 5, margin 1.5: drop when score + 1.5 > 5, i.e. score > 3.5: d1 d2 d4 d5 d7 (scores 10 9 7 6 4).
        // Left: d8 (3), d9 (2), d10 (1).
        var s = HardNegativeSelector.Select("q", Positives, Ten, new HardNegativeMiningOptions(NumNegatives: 5, RangeMax: 8, AbsoluteMargin: 1.5));
        Assert.Equal(["d8", "d9", "d10"], Ids(s));
        Assert.Equal(new SkipCounts(Positives: 2, AbsoluteMargin: 5), s.Skipped);
        Assert.Equal(2, s.Shortfall); // 3 of 5 found: reported, never padded
    }

    [Fact]
    public void RelativeMargin_UsesMagnitudeOfLowestPositive_AndIsSignSafe()
    {
        // p = 5, margin 0.3: threshold 5 - 1.5 = 3.5, same cut as above.
        var s = HardNegativeSelector.Select("q", Positives, Ten, new HardNegativeMiningOptions(NumNegatives: 2, RangeMax: 8, RelativeMargin: 0.3));
        Assert.Equal(["d8", "d9"], Ids(s));
        Assert.Equal(new SkipCounts(Positives: 2, RelativeMargin: 5), s.Skipped);

        // Negative positive score p = -2, margin 0.5: threshold -2 - |−2|·0.5 = -3 (not -2·0.5 = -1): keep only scores ≤ -3.
        var neg = new ScoredCandidate[] { new("a", -1), new("b", -2.5), new("c", -3), new("d", -4) };
        var s2 = HardNegativeSelector.Select("q", [new ScoredCandidate("p", -2)], neg, new HardNegativeMiningOptions(NumNegatives: 2, RangeMax: 4, RelativeMargin: 0.5));
        Assert.Equal(["c", "d"], Ids(s2));
    }

    [Fact]
    public void MaxAndMinScore_AreApplied_AndEachCandidateIsCountedOnceByTheFirstRule()
    {
        // absolute margin 0 with p = 5 drops scores > 5: d1 d2 d4 (10 9 7) and d5 (6); max_score 3.5 would also drop them
        // but they are counted once, by the margin; it drops d7 (4). min_score 1.5 drops d10 (1). Left: d8 d9.
        var s = HardNegativeSelector.Select("q", Positives, Ten,
            new HardNegativeMiningOptions(NumNegatives: 3, RangeMax: 9, AbsoluteMargin: 0, MaxScore: 3.5, MinScore: 1.5));
        Assert.Equal(["d8", "d9"], Ids(s));
        Assert.Equal(new SkipCounts(Positives: 2, AbsoluteMargin: 4, MaxScore: 1, MinScore: 1), s.Skipped);
    }

    [Fact]
    public void WindowStartBeyondEligibleCandidates_GivesNothing_AndSaysSo()
    {
        var s = HardNegativeSelector.Select("q", Positives, Ten, new HardNegativeMiningOptions(NumNegatives: 2, RangeMin: 8, RangeMax: 20));
        Assert.Empty(s.Negatives);
        Assert.Equal(2, s.Shortfall);
        Assert.Equal(0, s.WindowSize);
    }

    [Fact]
    public void Random_SamplesOnlyFromTheWindow_SortedByScore_SameSeedSameSample()
    {
        var many = Enumerable.Range(1, 200).Select(i => new ScoredCandidate($"d{i}", 1000 - i, i)).ToList();
        var options = new HardNegativeMiningOptions(NumNegatives: 5, RangeMin: 10, RangeMax: 100, Sampling: NegativeSampling.Random, Seed: 7);
        var a = HardNegativeSelector.Select("q1", Positives, many, options);
        var again = HardNegativeSelector.Select("q1", Positives, many, options);
        Assert.Equal(Ids(a), Ids(again));
        // Eligible = all 200 (d3, d6 are positives: removed) → 198; window = eligible[10..100) = d13 … d102.
        var window = many.Where(c => c.DocumentId is not ("d3" or "d6")).Skip(10).Take(90).Select(c => c.DocumentId).ToHashSet();
        Assert.All(Ids(a), id => Assert.Contains(id, window));
        Assert.Equal(a.Negatives.OrderByDescending(n => n.Score).ToList(), a.Negatives);
        Assert.Equal(5, a.Negatives.Select(n => n.DocumentId).Distinct().Count());
        var otherSeed = HardNegativeSelector.Select("q1", Positives, many, options with { Seed = 8 });
        Assert.NotEqual(Ids(a), Ids(otherSeed));
        var otherQuery = HardNegativeSelector.Select("q2", Positives, many, options);
        Assert.NotEqual(Ids(a), Ids(otherQuery));
    }

    [Fact]
    public void Random_IsUniformOverTheWindow()
    {
        // 9,000 draws of 5 from a window of 90: each position is expected 500 times (binomial sd ≈ 22); allow ±25 %.
        var many = Enumerable.Range(1, 100).Select(i => new ScoredCandidate($"d{i}", 1000 - i, i)).ToList();
        var options = new HardNegativeMiningOptions(NumNegatives: 5, RangeMin: 10, RangeMax: 100, Sampling: NegativeSampling.Random, Seed: 3);
        var counts = new Dictionary<string, int>();
        for (int q = 0; q < 9000; q++)
            foreach (var id in Ids(HardNegativeSelector.Select($"q{q}", [], many, options)))
                counts[id] = counts.GetValueOrDefault(id) + 1;
        Assert.Equal(90, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 375, 625));
    }

    [Fact]
    public void DuplicateCandidates_AreOfferedOnce()
    {
        var dup = new ScoredCandidate[] { new("a", 3), new("a", 3), new("b", 2) };
        var s = HardNegativeSelector.Select("q", [], dup, new HardNegativeMiningOptions(NumNegatives: 3, RangeMax: 3));
        Assert.Equal(["a", "b"], Ids(s));
    }

    [Fact]
    public void ScoreTies_KeepTheCallersOrder()
    {
        var tied = new ScoredCandidate[] { new("z", 1), new("a", 1), new("m", 2) };
        var s = HardNegativeSelector.Select("q", [], tied, new HardNegativeMiningOptions(NumNegatives: 3, RangeMax: 3));
        Assert.Equal(["m", "z", "a"], Ids(s));
    }

    [Theory]
    [InlineData(3, 0, null, false, 1, 4)]   // sentence-transformers: range_min + num_negatives + max_positives
    [InlineData(3, 5, null, true, 2, 37)]   // with a filter: range_min + 10·num_negatives + max_positives
    [InlineData(3, 10, 100, true, 2, 100)]  // explicit range_max wins
    public void DefaultRangeMax_FollowsSentenceTransformers(int n, int min, int? max, bool filter, int maxPositives, int expected)
    {
        var o = new HardNegativeMiningOptions(NumNegatives: n, RangeMin: min, RangeMax: max, MaxScore: filter ? 1 : null);
        Assert.Equal(expected, o.EffectiveRangeMax(maxPositives));
        Assert.Equal(expected + maxPositives, o.CandidateDepth(maxPositives));
    }

    [Theory]
    [InlineData(0, 0, 10)]
    [InlineData(3, -1, 10)]
    [InlineData(3, 10, 10)]
    [InlineData(5, 8, 10)]
    public void InvalidOptions_AreRejectedWithTheRemedy(int n, int min, int max)
    {
        var e = Assert.Throws<OptionsValidationException>(() => new HardNegativeMiningOptions(NumNegatives: n, RangeMin: min, RangeMax: max).Validate());
        Assert.StartsWith("HardNegativeMiningOptions.", e.Message); // the library names its own properties, not CLI options
        Assert.DoesNotContain("--", e.Message);
    }
}
