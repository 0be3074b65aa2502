namespace HardNegatives.Evaluation;

/// <summary>
/// <c>gm_map</c>: geometric mean of average precision (trec_eval <c>m_gm_map.c</c>): each query's AP is floored at
/// 0.00001 (<c>MIN_GEO_MEAN</c>), the <c>all</c> value is exp(mean of log AP). With complete averaging (-c) a query missing
/// from the run contributes log(0.00001), as trec_eval's <c>te_calc_avg_meas_s_gm</c> patches it. No per-query lines.
/// Cite: Robertson, "On GMAP", CIKM 2006.
/// </summary>
public sealed class GeometricMeanAveragePrecision : TrecMeasure
{
    /// <summary>trec_eval's <c>MIN_GEO_MEAN</c>.</summary>
    public const double Floor = 0.00001;

    public override string Name => "gm_map";
    public override string Description => "Geometric mean of average precision (AP floored at 0.00001).";
    public override Aggregation Aggregation => Aggregation.GeometricMean;
    public override bool PerQueryLines => false;

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        new AveragePrecision().Compute(ranking, values);
        values[0] = Math.Max(values[0], Floor);
    }
}
