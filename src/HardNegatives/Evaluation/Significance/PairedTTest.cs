namespace HardNegatives.Evaluation.Significance;

/// <summary>Result of a paired two-sided t-test of B − A.</summary>
/// <param name="MeanDifference">mean(B − A).</param>
/// <param name="T">mean / (sd / √n), sd with n − 1 in the denominator.</param>
public sealed record TTestResult(int Count, double MeanDifference, double StandardDeviation, double T, int DegreesOfFreedom, double PValue);

/// <summary>
/// Paired two-sided Student t-test on per-query scores (what scipy.stats.ttest_rel computes). p-values are exact
/// Student-t tail probabilities (<see cref="StudentT"/>), not a normal approximation.
/// When every difference is identical, t is undefined: p = 1 if that difference is 0, else 0.
/// </summary>
public static class PairedTTest
{
    public static TTestResult Test(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired test needs equal lengths, got {a.Count} and {b.Count}");
        int n = a.Count;
        if (n < 2) throw new ArgumentException("paired t-test needs at least 2 pairs");
        double mean = 0;
        for (int i = 0; i < n; i++) mean += b[i] - a[i];
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) { double d = b[i] - a[i] - mean; ss += d * d; }
        double sd = Math.Sqrt(ss / (n - 1));
        if (sd == 0 || sd < 1e-15 * Math.Abs(mean))
            return new TTestResult(n, mean, sd, mean == 0 ? 0 : Math.CopySign(double.PositiveInfinity, mean), n - 1, mean == 0 ? 1 : 0);
        double t = mean / (sd / Math.Sqrt(n));
        return new TTestResult(n, mean, sd, t, n - 1, StudentT.TwoSidedPValue(t, n - 1));
    }
}
