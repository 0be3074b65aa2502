using HardNegatives.Evaluation.Significance;

namespace HardNegatives.Tests.Evaluation.Significance;

public class ResamplingTests
{
    [Fact]
    public void RandomizationTestEnumeratesAllSignFlipsExactly()
    {
        // d = [1, 2, 3]; the 8 signed sums are ±6, ±4, ±2, 0, 0: |sum| >= 6 in 2 of 8 -> p = 0.25.
        var r = PairedRandomizationTest.Test([0, 0, 0], [1, 2, 3]);
        Assert.True(r.Exact);
        Assert.Equal(8, r.Permutations);
        Assert.Equal(0.25, r.PValue, 1e-15);
        // d = [1, -1, 2, 0.5], observed |sum| = 2.5. Signed sums ±1 ±1 ±2 ±0.5 with |s| >= 2.5:
        // (+1+1+2 ±0.5) 2, (−1−1−2 ±0.5) 2, (+1−1 or −1+1) +2 +0.5: 2, and −2 −0.5: 2 -> 8 of 16 = 0.5.
        Assert.Equal(0.5, PairedRandomizationTest.Test([0, 1, 0, 0], [1, 0, 2, 0.5]).PValue, 1e-15);
        Assert.Equal(1.0, PairedRandomizationTest.Test([1, 2, 3], [1, 2, 3]).PValue);
    }

    [Fact]
    public void MonteCarloRandomizationIsSeededAndAgreesWithTheTTestOnLargeSamples()
    {
        var random = new Random(7);
        var a = Enumerable.Range(0, 60).Select(_ => random.NextDouble()).ToArray();
        var b = a.Select(x => x + 0.03 + (random.NextDouble() - 0.5) * 0.3).ToArray();
        var r1 = PairedRandomizationTest.Test(a, b, 20_000, seed: 3);
        var r2 = PairedRandomizationTest.Test(a, b, 20_000, seed: 3);
        Assert.False(r1.Exact);
        Assert.Equal(r1.PValue, r2.PValue);
        double t = PairedTTest.Test(a, b).PValue;
        Assert.InRange(r1.PValue, t * 0.8 - 0.005, t * 1.2 + 0.005); // permutation and t-test nearly agree at n = 60
    }

    [Fact]
    public void HolmByHand()
    {
        // Sorted: 0.005, 0.01, 0.03, 0.04 -> ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 -> running max 0.02, 0.03, 0.06, 0.06.
        Assert.Equal([0.03, 0.06, 0.06, 0.02], HolmBonferroni.Adjust([0.01, 0.04, 0.03, 0.005]), (x, y) => Math.Abs(x - y) < 1e-15);
        Assert.Equal([1.0, 1.0], HolmBonferroni.Adjust([0.6, 0.7]));
    }

    [Fact]
    public void BootstrapIntervalOfTheMean()
    {
        var constant = BootstrapConfidenceInterval.OfMean([0.4, 0.4, 0.4], resamples: 1000);
        Assert.Equal(0.4, constant.Lower, 1e-15);
        Assert.Equal(0.4, constant.Upper, 1e-15);
        var random = new Random(11);
        var values = Enumerable.Range(0, 400).Select(_ => random.NextDouble()).ToArray(); // uniform: sd = 1/sqrt(12)
        var ci = BootstrapConfidenceInterval.OfMean(values, seed: 5);
        Assert.Equal(ci, BootstrapConfidenceInterval.OfMean(values, seed: 5));
        double half = 1.96 / Math.Sqrt(12) / Math.Sqrt(400); // normal-theory half width ≈ 0.0283
        Assert.InRange(ci.Upper - ci.Lower, 2 * half * 0.85, 2 * half * 1.15);
        Assert.InRange(ci.Mean, ci.Lower, ci.Upper);
    }
}
