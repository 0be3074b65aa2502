namespace HardNegatives.Evaluation;

/// <summary>
/// One query's ranking reduced to what trec_eval's measures look at (its <c>RES_RELS</c>): the judged grade of each
/// retrieved document in rank order, the positive judged grades for the ideal ranking, and the number of relevant
/// documents. Built by <see cref="TrecRanking"/>.
/// </summary>
public sealed class JudgedRanking
{
    /// <summary>Grade standing for a retrieved document that the qrels do not mention (trec_eval's RELVALUE_NONPOOL).</summary>
    public const int Unjudged = -1;

    /// <summary>Grade standing for a retrieved document that the qrels list with a negative grade: in the pool but unjudged
    /// (trec_eval's RELVALUE_UNJUDGED).</summary>
    public const int PooledUnjudged = -2;

    public JudgedRanking(string queryId, int[] grades, int[] idealGrades, int relevantCount, int relevanceLevel, bool missingFromRun,
        int judgedNonRelevantCount = 0)
    {
        JudgedNonRelevantCount = judgedNonRelevantCount;
        QueryId = queryId;
        Grades = grades;
        IdealGrades = idealGrades;
        RelevantCount = relevantCount;
        RelevanceLevel = relevanceLevel;
        MissingFromRun = missingFromRun;
    }

    public string QueryId { get; }

    /// <summary>Judged grade of the document at each rank (index 0 = rank 1); <see cref="Unjudged"/> when not in the qrels,
    /// <see cref="PooledUnjudged"/> when the qrels give it a negative grade.</summary>
    public IReadOnlyList<int> Grades { get; }

    /// <summary>All positive judged grades of the query, largest first: the ideal ranking for nDCG.</summary>
    public IReadOnlyList<int> IdealGrades { get; }

    /// <summary>R: judged documents with grade ≥ the relevance level (retrieved or not).</summary>
    public int RelevantCount { get; }

    /// <summary>Judged documents with a grade ≥ 0 below the relevance level (retrieved or not); bpref's N.</summary>
    public int JudgedNonRelevantCount { get; }

    /// <summary>Minimum grade that counts as relevant (trec_eval <c>-l</c>, default 1).</summary>
    public int RelevanceLevel { get; }

    /// <summary>True when the query has judgments but no results (only evaluated with complete averaging, trec_eval -c).</summary>
    public bool MissingFromRun { get; }

    /// <summary>Number of retrieved documents.</summary>
    public int RetrievedCount => Grades.Count;

    /// <summary>Whether the document at 0-based rank <paramref name="index"/> is relevant.</summary>
    public bool IsRelevantAt(int index) => Grades[index] >= RelevanceLevel && Grades[index] >= 0;
}
