namespace HardNegatives.Evaluation.Significance;

/// <summary>Result of a paired randomization test of B − A.</summary>
/// <param name="Permutations">Sign assignments examined (2^n when exact).</param>
/// <param name="Exact">True when all 2^n sign assignments were enumerated.</param>
public sealed record RandomizationTestResult(int Count, double MeanDifference, long Permutations, bool Exact, double PValue);

/// <summary>
/// Paired two-sided randomization (permutation) test (Fisher; Smucker, Allan &amp; Carterette, CIKM 2007): under the
/// null hypothesis the two systems' scores for a query are exchangeable, so each per-query difference keeps or flips
/// its sign with probability ½. The p-value is the share of sign assignments whose |mean difference| is at least the
/// observed one. Up to <see cref="ExactLimit"/> queries every assignment is enumerated (exact p); beyond, a seeded
/// Monte Carlo sample is drawn and p = (hits + 1) / (samples + 1) (Phipson &amp; Smyth 2010, never 0).
/// </summary>
public static class PairedRandomizationTest
{
    /// <summary>Largest query count enumerated exactly (2^20 ≈ 1M assignments).</summary>
    public const int ExactLimit = 20;

    public static RandomizationTestResult Test(IReadOnlyList<double> a, IReadOnlyList<double> b, int samples = 10_000, int seed = 42)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired test needs equal lengths, got {a.Count} and {b.Count}");
        int n = a.Count;
        if (n == 0) throw new ArgumentException("randomization test needs at least 1 pair");
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = b[i] - a[i];
        double observed = Math.Abs(d.Sum());
        // Sums are compared, not means (same order); a small tolerance keeps exact ties counted despite rounding.
        double threshold = observed - 1e-12 * Math.Max(1, observed);
        double mean = d.Sum() / n;
        if (n <= ExactLimit)
        {
            long total = 1L << n, hits = 0;
            for (long mask = 0; mask < total; mask++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += (mask >> i & 1) == 1 ? -d[i] : d[i];
                if (Math.Abs(s) >= threshold) hits++;
            }
            return new RandomizationTestResult(n, mean, total, true, hits / (double)total);
        }
        if (samples <= 0) throw new ArgumentOutOfRangeException(nameof(samples), "samples must be positive");
        var random = new Random(seed);
        long count = 0;
        for (int s = 0; s < samples; s++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += random.Next(2) == 0 ? d[i] : -d[i];
            if (Math.Abs(sum) >= threshold) count++;
        }
        return new RandomizationTestResult(n, mean, samples, false, (count + 1) / (double)(samples + 1));
    }
}
