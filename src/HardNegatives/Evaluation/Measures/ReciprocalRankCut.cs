namespace HardNegatives.Evaluation;

/// <summary>
/// <c>recip_rank_cut.k</c> (an extension; trec_eval 9.0.x has no cut variant): 1 / rank of the first relevant
/// document if it is within the top k, else 0. <c>recip_rank_cut.10</c> is MRR@10 as MS MARCO and BEIR report it.
/// Printed after trec_eval's own measures.
/// </summary>
public sealed class ReciprocalRankCut(IEnumerable<int>? cutoffs = null) : CutoffMeasure(cutoffs ?? [10])
{
    public override string Name => "recip_rank_cut";
    public override string Description => "Reciprocal rank of the first relevant document within the top k (MRR@k).";
    public override CutoffMeasure WithCutoffs(IEnumerable<int> cutoffs) => new ReciprocalRankCut(cutoffs);

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        int first = -1;
        for (int i = 0; i < ranking.RetrievedCount; i++) if (ranking.IsRelevantAt(i)) { first = i + 1; break; }
        for (int c = 0; c < Cutoffs.Count; c++) values[c] = first > 0 && first <= Cutoffs[c] ? 1.0 / first : 0;
    }
}
