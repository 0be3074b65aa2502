namespace HardNegatives.Evaluation;

/// <summary>
/// <c>runid</c>: the run's name, the last column of its lines (trec_eval <c>m_runid.c</c>; trec_eval keeps the tag of the
/// file's last line). Printed once, on the <c>all</c> line, as text; no per-query lines.
/// </summary>
public sealed class RunId : TrecMeasure
{
    public override string Name => "runid";
    public override string Description => "Run id given by the run file (its last column).";
    public override Aggregation Aggregation => Aggregation.Label;
    public override bool PerQueryLines => false;
    public override void Compute(JudgedRanking ranking, Span<double> values) => values[0] = 0;
}
