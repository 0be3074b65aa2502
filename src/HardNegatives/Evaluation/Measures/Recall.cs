namespace HardNegatives.Evaluation;

/// <summary>
/// <c>recall.k</c>: relevant documents in the top k divided by R, all relevant documents of the query
/// (trec_eval <c>m_recall.c</c>). 0 when R = 0.
/// </summary>
public sealed class Recall(IEnumerable<int>? cutoffs = null) : CutoffMeasure(cutoffs)
{
    public override string Name => "recall";
    public override string Description => "Recall at cutoffs: relevant in top k / R.";
    public override CutoffMeasure WithCutoffs(IEnumerable<int> cutoffs) => new Recall(cutoffs);

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        var counts = Precision.RelevantWithinCutoffs(ranking, Cutoffs);
        for (int c = 0; c < Cutoffs.Count; c++)
            values[c] = ranking.RelevantCount > 0 ? counts[c] / (double)ranking.RelevantCount : 0;
    }
}
