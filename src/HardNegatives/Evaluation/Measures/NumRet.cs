namespace HardNegatives.Evaluation;

/// <summary><c>num_ret</c>: number of documents retrieved (trec_eval <c>m_num_ret.c</c>), summed over queries.</summary>
public sealed class NumRet : TrecMeasure
{
    public override string Name => "num_ret";
    public override string Description => "Number of documents retrieved.";
    public override Aggregation Aggregation => Aggregation.Sum;
    public override void Compute(JudgedRanking ranking, Span<double> values) => values[0] = ranking.RetrievedCount;
}
