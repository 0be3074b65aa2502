namespace HardNegatives.Evaluation.Significance;

/// <summary>
/// Two-level paired bootstrap for comparing two systems that were each trained with several seeds and evaluated on the
/// same queries. Each resample draws the queries with replacement (the same draw for both systems: paired on queries) and,
/// independently for each system, its seeds with replacement; the statistic is the difference of the grand means
/// (mean over the drawn seeds of the mean over the drawn queries). The two-sided p-value is the share of resampled
/// differences at least as far from the observed difference as the observed difference is from zero (the null
/// distribution is the bootstrap distribution shifted to mean zero), with the usual +1 correction.
/// </summary>
/// <remarks>
/// Why two levels: averaging each query's score over seeds first (one-level) hides seed-to-seed variance, so a source whose
/// result depends on the seed looks more certain than it is. With one seed per system this reduces to the ordinary paired
/// bootstrap over queries (Efron and Tibshirani, "An Introduction to the Bootstrap", 1993, §16.4; Sakai, "Statistical
/// reform in IR", SIGIR Forum 2014). Deterministic for a given resampling seed.
/// </remarks>
public static class SeedQueryBootstrap
{
    /// <summary>Resamples used by default.</summary>
    public const int DefaultResamples = 10_000;

    /// <summary>
    /// p-value for "A and B have the same mean". <paramref name="a"/>[s][q] is system A's score on query q with training seed s;
    /// every inner list has the same queries in the same order, for both systems.
    /// </summary>
    public static double PValue(IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b,
        int resamples = DefaultResamples, int seed = 17)
    {
        if (a.Count == 0 || b.Count == 0) throw new ArgumentException("each system needs at least one seed's scores");
        int n = a[0].Count;
        if (a.Concat(b).Any(s => s.Count != n)) throw new ArgumentException("every seed of both systems must score the same queries");
        if (n == 0) return 1;
        double observed = GrandMean(a) - GrandMean(b);
        var rng = new Random(seed);
        var weight = new int[n];
        int extreme = 0;
        for (int r = 0; r < resamples; r++)
        {
            Array.Clear(weight);
            for (int i = 0; i < n; i++) weight[rng.Next(n)]++;
            double delta = ResampledMean(a, weight, rng) - ResampledMean(b, weight, rng);
            if (Math.Abs(delta - observed) >= Math.Abs(observed) - 1e-15) extreme++;
        }
        return (extreme + 1.0) / (resamples + 1.0);
    }

    static double GrandMean(IReadOnlyList<IReadOnlyList<double>> x) => x.Average(s => s.Average());

    static double ResampledMean(IReadOnlyList<IReadOnlyList<double>> x, int[] weight, Random rng)
    {
        double total = 0;
        int n = weight.Length;
        for (int k = 0; k < x.Count; k++)
        {
            var scores = x[rng.Next(x.Count)];
            double sum = 0;
            for (int q = 0; q < n; q++) if (weight[q] != 0) sum += weight[q] * scores[q];
            total += sum / n;
        }
        return total / x.Count;
    }
}
