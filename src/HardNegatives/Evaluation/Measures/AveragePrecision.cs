namespace HardNegatives.Evaluation;

/// <summary>
/// <c>map</c>: average precision (trec_eval <c>m_map.c</c>). The precision at the rank of each relevant retrieved
/// document, summed, divided by R (all relevant documents, retrieved or not). 0 when R = 0.
/// </summary>
public sealed class AveragePrecision : TrecMeasure
{
    public override string Name => "map";
    public override string Description => "Mean average precision: sum of precision at each relevant retrieved document / R.";

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        double sum = 0;
        long relSoFar = 0;
        for (int i = 0; i < ranking.RetrievedCount; i++)
        {
            if (!ranking.IsRelevantAt(i)) continue;
            relSoFar++;
            sum += relSoFar / (double)(i + 1);
        }
        values[0] = ranking.RelevantCount > 0 ? sum / ranking.RelevantCount : 0;
    }
}
