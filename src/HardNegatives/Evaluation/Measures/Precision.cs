namespace HardNegatives.Evaluation;

/// <summary>
/// <c>P.k</c>: precision at k (trec_eval <c>m_P.c</c>): relevant documents in the top k divided by k, even when fewer
/// than k documents were retrieved.
/// </summary>
public sealed class Precision(IEnumerable<int>? cutoffs = null) : CutoffMeasure(cutoffs)
{
    public override string Name => "P";
    public override string Description => "Precision at cutoffs: relevant in top k / k.";
    public override CutoffMeasure WithCutoffs(IEnumerable<int> cutoffs) => new Precision(cutoffs);

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        var counts = RelevantWithinCutoffs(ranking, Cutoffs);
        for (int c = 0; c < Cutoffs.Count; c++) values[c] = counts[c] / (double)Cutoffs[c];
    }

    /// <summary>Relevant documents among the first k retrieved, for each cutoff k.</summary>
    internal static long[] RelevantWithinCutoffs(JudgedRanking ranking, IReadOnlyList<int> cutoffs)
    {
        var counts = new long[cutoffs.Count];
        long relSoFar = 0;
        int c = 0;
        for (int i = 0; i < ranking.RetrievedCount && c < cutoffs.Count; i++)
        {
            while (c < cutoffs.Count && i == cutoffs[c]) counts[c++] = relSoFar;
            if (ranking.IsRelevantAt(i)) relSoFar++;
        }
        while (c < cutoffs.Count) counts[c++] = relSoFar;
        return counts;
    }
}
