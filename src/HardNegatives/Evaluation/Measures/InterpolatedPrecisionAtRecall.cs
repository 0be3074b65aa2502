using System.Globalization;

namespace HardNegatives.Evaluation;

/// <summary>
/// <c>iprec_at_recall</c>: interpolated precision at recall 0.00, 0.10, …, 1.00 (trec_eval <c>m_iprec_at_recall.c</c>):
/// the highest precision at any rank whose recall is at least the level. Levels are turned into numbers of relevant
/// documents with <c>lround(level · R)</c>, as trec_eval 9.0.8 does. Values named <c>iprec_at_recall_0.10</c>.
/// </summary>
public sealed class InterpolatedPrecisionAtRecall : TrecMeasure
{
    static readonly double[] Levels = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    static readonly string[] Names = [.. Levels.Select(l => "iprec_at_recall_" + l.ToString("F2", CultureInfo.InvariantCulture))];

    public override string Name => "iprec_at_recall";
    public override string Description => "Interpolated precision at recall levels 0.0, 0.1, …, 1.0.";
    public override IReadOnlyList<string> ValueNames => Names;

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        values.Clear();
        int retrieved = ranking.RetrievedCount, r = ranking.RelevantCount;
        if (retrieved == 0) return; // a query missing from the run (-c) scores 0, as trec_eval's averaging counts it
        int relRet = 0;
        for (int i = 0; i < retrieved; i++) if (ranking.IsRelevantAt(i)) relRet++;
        var cutoffs = Levels.Select(l => (long)Math.Round(l * r, MidpointRounding.AwayFromZero)).ToArray(); // C lround
        int current = cutoffs.Length - 1;
        while (current >= 0 && cutoffs[current] > relRet) current--;
        // Walk the ranking bottom-up, keeping the maximum precision seen so far (interpolation).
        double interpolated = relRet / (double)retrieved;
        long relSoFar = relRet;
        for (int i = retrieved; i > 0 && relSoFar > 0; i--)
        {
            double precision = relSoFar / (double)i;
            if (interpolated < precision) interpolated = precision;
            if (ranking.IsRelevantAt(i - 1))
            {
                while (current >= 0 && relSoFar == cutoffs[current]) values[current--] = interpolated;
                relSoFar--;
            }
        }
        while (current >= 0) values[current--] = interpolated;
    }
}
