namespace HardNegatives.Evaluation;

/// <summary>
/// <c>ndcg</c>: nDCG over the whole ranking (trec_eval <c>m_ndcg.c</c> with default gains): gain = judged grade
/// (linear, only grades &gt; 0), discount log2(rank + 1), ideal DCG from all positive judged grades of the query.
/// 0 when the query has no positive grade.
/// </summary>
public sealed class Ndcg : TrecMeasure
{
    public override string Name => "ndcg";
    public override string Description => "Normalized discounted cumulative gain over the full ranking (linear gains).";

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        double dcg = NdcgCut.Dcg(ranking.Grades, ranking.RetrievedCount);
        double ideal = NdcgCut.Dcg(ranking.IdealGrades, ranking.IdealGrades.Count);
        values[0] = ideal > 0 ? dcg / ideal : 0;
    }
}
