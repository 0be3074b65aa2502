namespace HardNegatives.Evaluation.Significance;

/// <summary>A confidence interval of a mean.</summary>
public sealed record ConfidenceInterval(double Mean, double Lower, double Upper, double Level, int Resamples);

/// <summary>
/// Percentile bootstrap confidence interval of the mean (Efron &amp; Tibshirani 1993, ch. 13): resample the per-query
/// values with replacement, take the mean of each resample, and report the (1−level)/2 and (1+level)/2 quantiles of
/// those means (linear interpolation between order statistics, numpy's default). Seeded, so reruns agree.
/// </summary>
public static class BootstrapConfidenceInterval
{
    public static ConfidenceInterval OfMean(IReadOnlyList<double> values, double level = 0.95, int resamples = 10_000, int seed = 42)
    {
        int n = values.Count;
        if (n == 0) throw new ArgumentException("bootstrap needs at least one value");
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level), "level must be in (0, 1)");
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), "need at least 2 resamples");
        var random = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[random.Next(n)];
            means[r] = sum / n;
        }
        Array.Sort(means);
        double alpha = (1 - level) / 2;
        return new ConfidenceInterval(values.Average(), Quantile(means, alpha), Quantile(means, 1 - alpha), level, resamples);
    }

    /// <summary>Quantile q of sorted values, interpolating linearly at position q·(n−1).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
