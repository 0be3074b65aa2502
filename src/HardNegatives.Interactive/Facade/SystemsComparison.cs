using HardNegatives.Evaluation;
using HardNegatives.Evaluation.Significance;
using HardNegatives.Interactive.Formatting;
using Microsoft.Data.Analysis;

namespace HardNegatives.Interactive.Facade;

/// <summary>
/// Several systems compared with a baseline on one dataset (PyTerrier's <c>pt.Experiment</c> table): each measure's mean per
/// system, its difference from the baseline, how many queries got better or worse, the chosen paired test's p-value, the
/// multiple-testing correction over the whole family (every system × measure), and † where the corrected p is at most α.
/// The numbers come from <see cref="SystemComparison"/> (the same code as <c>hn compare</c>); this record only chooses and shows.
/// </summary>
/// <param name="Systems">System names in the order given; <paramref name="Baseline"/> is one of them.</param>
/// <param name="Measures">Measure value names (<c>ndcg_cut_10</c>), one column group each.</param>
/// <param name="Test"><c>t</c> (Student's paired t-test) or <c>randomization</c> (paired sign-flip test).</param>
/// <param name="Correction"><c>holm</c> (Holm–Bonferroni over the family) or <c>none</c>.</param>
/// <param name="Rows">The library's rows: one per (measure, system), the baseline's included.</param>
/// <param name="Evaluations">Each system's per-query evaluation, in <paramref name="Systems"/> order.</param>
/// <param name="PairedQueries">The queries every system was evaluated on: the ones the tests pair.</param>
public sealed record SystemsComparison(
    string Dataset, string Split, IReadOnlyList<string> Systems, string Baseline, IReadOnlyList<string> Measures, string Test, string Correction,
    ComparisonOptions Options, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<EvaluationResult> Evaluations, IReadOnlyList<string> PairedQueries)
{
    /// <summary>The library's row for one system on one measure.</summary>
    public ComparisonRow Row(string system, string measure) =>
        Rows.FirstOrDefault(r => r.System == system && r.Measure == measure)
        ?? throw new ArgumentException($"no row for system '{system}' and measure '{measure}'; systems: {string.Join(", ", Systems)}; measures: {string.Join(", ", Measures)}");

    /// <summary>Mean of <paramref name="measure"/> over the paired queries.</summary>
    public double Mean(string system, string measure) => Row(system, measure).Mean;

    /// <summary>The chosen test's p-value against the baseline, before correction (1 for the baseline itself).</summary>
    public double PValue(string system, string measure)
    {
        var row = Row(system, measure);
        return IsRandomization ? row.RandomizationP : row.TTestP;
    }

    /// <summary>The p-value after the correction (the raw one when the correction is <c>none</c>).</summary>
    public double CorrectedPValue(string system, string measure)
    {
        var row = Row(system, measure);
        if (Correction == "none") return PValue(system, measure);
        return IsRandomization ? row.RandomizationHolm : row.TTestHolm;
    }

    /// <summary>True when the corrected p-value is at most α (never for the baseline).</summary>
    public bool Significant(string system, string measure) => system != Baseline && CorrectedPValue(system, measure) <= Options.Alpha;

    /// <summary>Paired queries where <paramref name="system"/> scores above / below the baseline (ties in neither).</summary>
    public (int Better, int Worse) WinLoss(string system, string measure)
    {
        var mine = Evaluations[IndexOf(system)].PerQuery(measure);
        var theirs = Evaluations[IndexOf(Baseline)].PerQuery(measure);
        return (PairedQueries.Count(q => mine[q] > theirs[q]), PairedQueries.Count(q => mine[q] < theirs[q]));
    }

    /// <summary>Comparisons in the corrected family (every non-baseline system × measure).</summary>
    public int Family => (Systems.Count - 1) * Measures.Count;

    /// <summary>One row per system: <c>name</c>, then per measure its mean, <c>+</c>, <c>-</c>, <c>p-value</c>, <c>p-value corrected</c>,
    /// <c>reject</c> (PyTerrier's columns; NaN and false for the baseline).</summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("name", Systems) };
        foreach (var m in Measures)
        {
            bool IsBaseline(string s) => s == Baseline;
            columns.Add(new DoubleDataFrameColumn(m, Systems.Select(s => Mean(s, m))));
            columns.Add(new Int32DataFrameColumn($"{m} +", Systems.Select(s => IsBaseline(s) ? (int?)null : WinLoss(s, m).Better)));
            columns.Add(new Int32DataFrameColumn($"{m} -", Systems.Select(s => IsBaseline(s) ? (int?)null : WinLoss(s, m).Worse)));
            columns.Add(new DoubleDataFrameColumn($"{m} p-value", Systems.Select(s => IsBaseline(s) ? double.NaN : PValue(s, m))));
            columns.Add(new DoubleDataFrameColumn($"{m} p-value corrected", Systems.Select(s => IsBaseline(s) ? double.NaN : CorrectedPValue(s, m))));
            columns.Add(new BooleanDataFrameColumn($"{m} reject", Systems.Select(s => Significant(s, m))));
        }
        return new DataFrame(columns);
    }

    /// <summary>How the table was made, in one sentence (the table's caption).</summary>
    public string Caption =>
        $"{Systems.Count} systems on {Dataset} ({Split}, {PairedQueries.Count} queries paired); "
        + $"{(IsRandomization ? "paired randomization test" : "paired t-test")} against {Baseline}, "
        + (Correction == "none" ? "no correction" : $"Holm–Bonferroni over {Family} comparisons")
        + $"; † = p ≤ {Options.Alpha.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}";

    public string ToHtml() => ComparisonTableHtml.Render(this);

    public override string ToString() => ComparisonTableHtml.Text(this);

    bool IsRandomization => Test == "randomization";

    int IndexOf(string system) =>
        Systems.ToList().IndexOf(system) is var i and >= 0 ? i : throw new ArgumentException($"no system '{system}'; systems: {string.Join(", ", Systems)}");
}
