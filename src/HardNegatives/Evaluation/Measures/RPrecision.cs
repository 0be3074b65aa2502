namespace HardNegatives.Evaluation;

/// <summary>
/// <c>Rprec</c>: precision after R documents, R = number of relevant documents (trec_eval <c>m_Rprec.c</c>). Looks at
/// min(R, retrieved) documents and divides by R; 0 when either is 0.
/// </summary>
public sealed class RPrecision : TrecMeasure
{
    public override string Name => "Rprec";
    public override string Description => "Precision after R documents have been retrieved (R = number of relevant documents).";

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        int look = Math.Min(ranking.RetrievedCount, ranking.RelevantCount);
        int relevant = 0;
        for (int i = 0; i < look; i++) if (ranking.IsRelevantAt(i)) relevant++;
        values[0] = look == 0 ? 0 : relevant / (double)ranking.RelevantCount;
    }
}
