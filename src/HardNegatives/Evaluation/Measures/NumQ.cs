namespace HardNegatives.Evaluation;

/// <summary>
/// <c>num_q</c>: number of queries evaluated (trec_eval <c>m_num_q.c</c>): 1 per query, summed.
/// With complete averaging (-c) the queries missing from the run are evaluated too and count here.
/// </summary>
public sealed class NumQ : TrecMeasure
{
    public override string Name => "num_q";
    public override string Description => "Number of queries evaluated.";
    public override Aggregation Aggregation => Aggregation.Sum;
    public override void Compute(JudgedRanking ranking, Span<double> values) => values[0] = 1;
}
