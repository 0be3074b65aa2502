namespace HardNegatives.Evaluation;

/// <summary>
/// <c>map_cut.k</c>: average precision over the top k only (trec_eval <c>m_map_cut.c</c>): precision at each relevant
/// document within rank k, summed, divided by R (not by min(k, R); that is sentence-transformers' MAP@k, see
/// <see cref="SentenceTransformersIrEvaluator"/>). 0 when R = 0.
/// </summary>
public sealed class MapCut(IEnumerable<int>? cutoffs = null) : CutoffMeasure(cutoffs)
{
    public override string Name => "map_cut";
    public override string Description => "Mean average precision at cutoffs, divided by R.";
    public override CutoffMeasure WithCutoffs(IEnumerable<int> cutoffs) => new MapCut(cutoffs);

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        double sum = 0;
        long relSoFar = 0;
        int c = 0;
        for (int i = 0; i < ranking.RetrievedCount && c < Cutoffs.Count; i++)
        {
            while (c < Cutoffs.Count && i == Cutoffs[c]) values[c++] = Normalize(sum, ranking);
            if (c == Cutoffs.Count) break;
            if (!ranking.IsRelevantAt(i)) continue;
            relSoFar++;
            sum += relSoFar / (double)(i + 1);
        }
        while (c < Cutoffs.Count) values[c++] = Normalize(sum, ranking);
    }

    static double Normalize(double sum, JudgedRanking r) => r.RelevantCount > 0 ? sum / r.RelevantCount : 0;
}
