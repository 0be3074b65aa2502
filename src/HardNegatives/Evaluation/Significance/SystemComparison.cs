namespace HardNegatives.Evaluation.Significance;

/// <summary>One system against the baseline on one measure value.</summary>
/// <param name="Mean">The system's mean over the paired queries.</param>
/// <param name="Ci">Bootstrap 95% (or chosen level) interval of the system's mean.</param>
/// <param name="Delta">mean(system) − mean(baseline).</param>
/// <param name="TTestHolm">Holm-adjusted t-test p over the family (all systems × measures compared).</param>
public sealed record ComparisonRow(
    string Measure, string System, int Queries, double Mean, ConfidenceInterval Ci, double Delta,
    double TTestP, double RandomizationP, double TTestHolm, double RandomizationHolm, bool SignificantT, bool SignificantRandomization);

/// <summary>Options for <see cref="SystemComparison"/>; defaults: α = 0.05, 10,000 permutations/resamples, seed 42.</summary>
public sealed record ComparisonOptions
{
    public double Alpha { get; init; } = 0.05;
    public int Permutations { get; init; } = 10_000;
    public int BootstrapResamples { get; init; } = 10_000;
    public double ConfidenceLevel { get; init; } = 0.95;
    public int Seed { get; init; } = 42;
}

/// <summary>
/// Compares systems with a baseline on per-query scores: paired t-test, paired randomization test, and
/// Holm–Bonferroni over the family of all (system, measure) comparisons made in one call; bootstrap CI of each mean.
/// Scores are paired on the queries every system was evaluated on (with complete averaging, every judged query).
/// </summary>
public static class SystemComparison
{
    /// <summary>
    /// <paramref name="systems"/>[0] is the baseline; every other system is compared with it on each value name.
    /// The baseline gets a row too (delta 0, p = 1).
    /// </summary>
    public static IReadOnlyList<ComparisonRow> Compare(IReadOnlyList<(string Name, EvaluationResult Result)> systems,
        IReadOnlyList<string> valueNames, ComparisonOptions? options = null)
    {
        options ??= new ComparisonOptions();
        if (systems.Count < 2) throw new ArgumentException("compare needs a baseline and at least one other run");
        var queries = systems.Select(s => s.Result.Queries.Select(q => q.QueryId).ToHashSet(StringComparer.Ordinal))
            .Aggregate((x, y) => { x.IntersectWith(y); return x; })
            .Order(StringComparer.Ordinal).ToArray();
        if (queries.Length < 2) throw new InvalidDataException("fewer than 2 queries are evaluated in every run; nothing to test");
        var pending = new List<(string Measure, string System, double[] Scores, double[] Baseline, TTestResult? T, RandomizationTestResult? R)>();
        foreach (var name in valueNames)
        {
            var baseline = Scores(systems[0].Result, name, queries);
            pending.Add((name, systems[0].Name, baseline, baseline, null, null));
            foreach (var (sys, result) in systems.Skip(1))
            {
                var scores = Scores(result, name, queries);
                pending.Add((name, sys, scores, baseline, PairedTTest.Test(baseline, scores),
                    PairedRandomizationTest.Test(baseline, scores, options.Permutations, options.Seed)));
            }
        }
        var tested = pending.Where(p => p.T is not null).ToArray();
        var holmT = HolmBonferroni.Adjust([.. tested.Select(p => p.T!.PValue)]);
        var holmR = HolmBonferroni.Adjust([.. tested.Select(p => p.R!.PValue)]);
        var rows = new List<ComparisonRow>();
        int k = 0;
        foreach (var p in pending)
        {
            var ci = BootstrapConfidenceInterval.OfMean(p.Scores, options.ConfidenceLevel, options.BootstrapResamples, options.Seed);
            double delta = p.Scores.Average() - p.Baseline.Average();
            if (p.T is null) { rows.Add(new(p.Measure, p.System, queries.Length, ci.Mean, ci, 0, 1, 1, 1, 1, false, false)); continue; }
            rows.Add(new(p.Measure, p.System, queries.Length, ci.Mean, ci, delta, p.T.PValue, p.R!.PValue, holmT[k], holmR[k],
                holmT[k] <= options.Alpha, holmR[k] <= options.Alpha));
            k++;
        }
        return rows;
    }

    static double[] Scores(EvaluationResult result, string valueName, string[] queries)
    {
        var perQuery = result.PerQuery(valueName);
        return [.. queries.Select(q => perQuery[q])];
    }
}
