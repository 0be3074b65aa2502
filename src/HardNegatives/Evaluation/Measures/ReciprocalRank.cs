namespace HardNegatives.Evaluation;

/// <summary>
/// <c>recip_rank</c>: 1 / rank of the first relevant document anywhere in the ranking, 0 if none
/// (trec_eval <c>m_recip_rank.c</c>; no cutoff).
/// </summary>
public sealed class ReciprocalRank : TrecMeasure
{
    public override string Name => "recip_rank";
    public override string Description => "Reciprocal rank of the first relevant document (no cutoff).";

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        values[0] = 0;
        for (int i = 0; i < ranking.RetrievedCount; i++)
            if (ranking.IsRelevantAt(i)) { values[0] = 1.0 / (i + 1); return; }
    }
}
