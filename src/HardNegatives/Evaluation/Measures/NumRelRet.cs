namespace HardNegatives.Evaluation;

/// <summary><c>num_rel_ret</c>: relevant documents retrieved (trec_eval <c>m_num_rel_ret.c</c>), summed over queries.</summary>
public sealed class NumRelRet : TrecMeasure
{
    public override string Name => "num_rel_ret";
    public override string Description => "Number of relevant documents retrieved.";
    public override Aggregation Aggregation => Aggregation.Sum;

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        int count = 0;
        for (int i = 0; i < ranking.RetrievedCount; i++) if (ranking.IsRelevantAt(i)) count++;
        values[0] = count;
    }
}
