namespace HardNegatives.Mining;

/// <summary>Summary of a score column, as sentence-transformers' mining table shows it.</summary>
public sealed record ScoreSummary(long Count, double Mean, double Median, double Std, double Min, double P25, double P75, double Max);

/// <summary>
/// Streaming statistics of scores: count, mean, standard deviation (sample, n−1, like torch.std), min and max exactly
/// (Welford); quartiles and median exactly up to <see cref="ReservoirSize"/> values, beyond that from a seeded uniform
/// reservoir, so memory stays bounded however many queries are mined.
/// </summary>
public sealed class ScoreStatistics
{
    public const int ReservoirSize = 100_000;

    readonly List<double> _reservoir = [];
    readonly Random _random = new(12345);
    long _count;
    double _mean, _m2, _min = double.PositiveInfinity, _max = double.NegativeInfinity;

    public long Count => _count;
    /// <summary>True when quartiles were computed from a sample rather than from every value.</summary>
    public bool Sampled => _count > ReservoirSize;

    public void Add(double x)
    {
        _count++;
        double delta = x - _mean;
        _mean += delta / _count;
        _m2 += delta * (x - _mean);
        _min = Math.Min(_min, x);
        _max = Math.Max(_max, x);
        if (_reservoir.Count < ReservoirSize) _reservoir.Add(x);
        else if (_random.NextInt64(_count) is var j && j < ReservoirSize) _reservoir[(int)j] = x;
    }

    public ScoreSummary Summarize()
    {
        if (_count == 0) return new ScoreSummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = _reservoir.Order().ToArray();
        return new ScoreSummary(_count, _mean, LowerMedian(sorted), _count > 1 ? Math.Sqrt(_m2 / (_count - 1)) : double.NaN,
            _min, Quantile(sorted, 0.25), Quantile(sorted, 0.75), _max);
    }

    // torch.median returns the lower of the two middle values; torch.quantile interpolates linearly.
    static double LowerMedian(double[] sorted) => sorted[(sorted.Length - 1) / 2];

    internal static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
