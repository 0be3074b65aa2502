namespace HardNegatives.Evaluation;

/// <summary><c>num_rel</c>: number of relevant documents judged for the query (R; trec_eval <c>m_num_rel.c</c>), summed.</summary>
public sealed class NumRel : TrecMeasure
{
    public override string Name => "num_rel";
    public override string Description => "Number of relevant documents (grade >= relevance level) in the judgments.";
    public override Aggregation Aggregation => Aggregation.Sum;
    public override void Compute(JudgedRanking ranking, Span<double> values) => values[0] = ranking.RelevantCount;
}
