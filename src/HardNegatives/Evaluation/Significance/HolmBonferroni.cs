namespace HardNegatives.Evaluation.Significance;

/// <summary>
/// Holm–Bonferroni step-down correction (Holm 1979) for a family of m tests: sort p ascending; the adjusted value of
/// the i-th smallest (1-based) is max over j ≤ i of min(1, (m − j + 1)·p_(j)). A hypothesis is rejected at level α
/// when its adjusted p ≤ α. Controls the family-wise error rate without independence assumptions.
/// </summary>
public static class HolmBonferroni
{
    /// <summary>Adjusted p-values, in the order of <paramref name="pValues"/>.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = order[rank];
            if (double.IsNaN(pValues[i])) throw new ArgumentException("p-values must not be NaN");
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
