namespace HardNegatives.Evaluation;

/// <summary>
/// <c>bpref</c>: binary preference (trec_eval <c>m_bpref.c</c>). Unjudged retrieved documents are skipped; for each
/// judged relevant retrieved document add 1 − min(n, R) / min(N, R), where n = judged non-relevant documents ranked above it
/// and N = judged non-relevant documents of the query (grade ≥ 0 and below the relevance level); the sum is divided by R.
/// Cite: Buckley and Voorhees, "Retrieval Evaluation with Incomplete Information", SIGIR 2004.
/// </summary>
public sealed class Bpref : TrecMeasure
{
    public override string Name => "bpref";
    public override string Description => "Binary preference: fraction of judged non-relevant documents ranked after each relevant one.";

    public override void Compute(JudgedRanking ranking, Span<double> values)
    {
        long nonRelSoFar = 0;
        double bpref = 0;
        int r = ranking.RelevantCount;
        for (int i = 0; i < ranking.RetrievedCount; i++)
        {
            int grade = ranking.Grades[i];
            if (grade is JudgedRanking.Unjudged or JudgedRanking.PooledUnjudged) continue; // not in the pool / in it but unjudged
            if (grade >= 0 && grade < ranking.RelevanceLevel) nonRelSoFar++;
            else bpref += nonRelSoFar > 0 ? 1.0 - Math.Min(nonRelSoFar, r) / (double)Math.Min(ranking.JudgedNonRelevantCount, r) : 1.0;
        }
        values[0] = r > 0 ? bpref / r : bpref;
    }
}
