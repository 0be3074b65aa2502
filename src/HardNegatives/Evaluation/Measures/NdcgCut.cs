namespace HardNegatives.Evaluation;

/// <summary>
/// <c>ndcg_cut.k</c> (trec_eval <c>m_ndcg_cut.c</c>): DCG of the top k divided by the ideal DCG of the top k.
/// Gain is the judged grade itself (linear; grade 0, unjudged and negative grades add nothing), divided by
/// log2(rank + 1): trec_eval 9.0.x sums <c>gain / log2(i + 2)</c> over 0-based positions i ("i+2 since doc i has
/// rank i+1"; older trec_eval 8 code used log2(i + 1) with rank 1 undiscounted, which gives other numbers).
/// The ideal ranking sorts all positive judged grades of the query, retrieved or not. 0 when it is empty.
/// This is BEIR's NDCG@k (BEIR calls pytrec_eval, which embeds trec_eval 9.0.x).
/// </summary>
public sealed class NdcgCut(IEnumerable<int>? cutoffs = null) : CutoffMeasure(cutoffs)
{
    public override string Name => "ndcg_cut";
    public override string Description => "nDCG at cutoffs (linear gains, log2(rank+1) discount, ideal from all judged grades).";
    public override CutoffMeasure WithCutoffs(IEnumerable<int> cutoffs) => new NdcgCut(cutoffs);

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        for (int c = 0; c < Cutoffs.Count; c++)
        {
            int k = Cutoffs[c];
            double dcg = Dcg(ranking.Grades, Math.Min(k, ranking.RetrievedCount));
            double ideal = Dcg(ranking.IdealGrades, Math.Min(k, ranking.IdealGrades.Count));
            values[c] = ideal > 0 ? dcg / ideal : 0;
        }
    }

    /// <summary>DCG of the first <paramref name="n"/> grades, summed in rank order as trec_eval does.</summary>
    internal static double Dcg(IReadOnlyList<int> grades, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double gain = grades[i];
            if (gain <= 0) continue;
            sum += gain / Math.Log2(i + 2);
        }
        return sum;
    }
}
