using HardNegatives.Evaluation.Significance;

namespace HardNegatives.Reporting;

/// <summary>Per-query scores of one evaluated run: a table row (negative source), a dataset and a training seed.</summary>
public sealed record EvaluatedRun(string Row, string Dataset, int? Seed, IReadOnlyDictionary<string, double> PerQuery)
{
    public double Mean => PerQuery.Count == 0 ? 0 : PerQuery.Values.Average();
}

/// <summary>
/// Two-sided p-value of a paired test between two rows: <c>a[s][q]</c> is row A's score on query q with training seed s
/// (each inner list holds the same queries in the same order, for both rows). See <see cref="SeedQueryBootstrap"/>.
/// </summary>
public delegate double PairedTest(IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b);

/// <summary>Builds the paper's Table 1 from evaluated runs.</summary>
public static class ResultTableBuilder
{
    /// <param name="significance">Paired test against <paramref name="referenceRow"/> on per-seed, per-query scores (seeds are
    /// not averaged away first); p-values are Holm-corrected within each dataset column. Null: no significance marks.</param>
    /// <param name="alpha">Significance level for the † mark (spec <c>evaluation.alpha</c>); default 0.05.</param>
    /// <param name="note">What the per-query means average over, stated in the legend (spec <c>evaluation.average_over</c>).</param>
    public static ResultTable Build(string metric, IEnumerable<EvaluatedRun> runs, string? referenceRow = null,
        PairedTest? significance = null, IReadOnlyList<NotRunRow>? notRun = null, IReadOnlyList<string>? rowOrder = null,
        double alpha = 0.05, string? note = null)
    {
        if (alpha is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha is a probability in (0, 1)");
        var all = runs.ToList();
        var rows = rowOrder?.Where(r => all.Any(x => x.Row == r)).ToList() ?? all.Select(r => r.Row).Distinct().ToList();
        var datasets = all.Select(r => r.Dataset).Distinct().ToList();
        var cells = new Dictionary<(string, string), ResultCell>();

        foreach (var row in rows)
        {
            foreach (var dataset in datasets)
            {
                var means = all.Where(r => r.Row == row && r.Dataset == dataset).Select(r => r.Mean).ToList();
                if (means.Count > 0) cells[(row, dataset)] = new ResultCell(means.Average(), SampleStdDev(means), means.Count);
            }
            // The average column: per seed, the mean over datasets; then mean ± sd over seeds. Only when every dataset ran.
            var bySeed = all.Where(r => r.Row == row).GroupBy(r => r.Seed).Where(g => g.Count() == datasets.Count).Select(g => g.Average(r => r.Mean)).ToList();
            if (bySeed.Count > 0 && datasets.Count > 1) cells[(row, ResultTable.AverageColumn)] = new ResultCell(bySeed.Average(), SampleStdDev(bySeed), bySeed.Count);
        }
        var columns = datasets.Count > 1 ? [.. datasets, ResultTable.AverageColumn] : datasets;

        foreach (var column in columns)
        {
            var present = rows.Where(r => cells.ContainsKey((r, column))).ToList();
            if (present.Count == 0) continue;
            var best = present.Max(r => cells[(r, column)].Mean);
            foreach (var r in present.Where(r => cells[(r, column)].Mean == best)) cells[(r, column)] = cells[(r, column)] with { IsBest = true };
        }

        if (significance is not null && referenceRow is not null && rows.Contains(referenceRow))
            foreach (var dataset in datasets)
            {
                var reference = BySeed(all, referenceRow, dataset);
                if (reference.Count == 0) continue;
                var others = rows.Where(r => r != referenceRow && cells.ContainsKey((r, dataset))).ToList();
                var raw = others.Select(r =>
                {
                    var scores = BySeed(all, r, dataset);
                    // The queries every seed of both rows scored, in one order.
                    var queries = reference.Concat(scores).Select(s => (IEnumerable<string>)s.Keys).Aggregate((x, y) => x.Intersect(y))
                        .Order(StringComparer.Ordinal).ToList();
                    IReadOnlyList<IReadOnlyList<double>> Matrix(List<IReadOnlyDictionary<string, double>> seeds) =>
                        seeds.Select(s => (IReadOnlyList<double>)queries.Select(q => s[q]).ToList()).ToList();
                    return significance(Matrix(scores), Matrix(reference));
                }).ToList();
                var adjusted = HolmBonferroni.Adjust(raw);
                for (int i = 0; i < others.Count; i++)
                    cells[(others[i], dataset)] = cells[(others[i], dataset)] with { AdjustedP = adjusted[i], Significant = adjusted[i] < alpha };
            }

        return new ResultTable(metric, rows, columns, cells, referenceRow, notRun ?? [], alpha, note);
    }

    /// <summary>Each seed's per-query scores of one row on one dataset, in seed order.</summary>
    static List<IReadOnlyDictionary<string, double>> BySeed(List<EvaluatedRun> all, string row, string dataset) =>
        all.Where(r => r.Row == row && r.Dataset == dataset).OrderBy(r => r.Seed).Select(r => r.PerQuery).ToList();

    static double SampleStdDev(IReadOnlyList<double> xs)
    {
        if (xs.Count < 2) return 0;
        var mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
    }
}
