namespace HardNegatives.Evaluation;

/// <summary>How <see cref="TrecEvaluator"/> evaluates a run. Defaults are trec_eval's.</summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// trec_eval <c>-c</c>: average over every query in the qrels (queries missing from the run score 0 on every
    /// measure) instead of over the queries in both the run and the qrels. Default false, as in trec_eval.
    /// </summary>
    public bool AverageOverAllJudgedQueries { get; init; }

    /// <summary>trec_eval <c>-l</c>: lowest grade that counts as relevant. Default 1 (grade 0 is not relevant).</summary>
    public int RelevanceLevel { get; init; } = 1;

    /// <summary>trec_eval <c>-M</c>: evaluate only the first N documents of each ranking. Default null (all).</summary>
    public int? MaxDocumentsPerQuery { get; init; }

    /// <summary>
    /// BEIR's <c>ignore_identical_ids</c>: drop results whose document id equals the query id before evaluating
    /// (in datasets such as ArguAna and Quora a query is also a corpus document). Default false here, so that
    /// <c>hn eval</c> matches trec_eval; <see cref="Beir"/> turns it on, as BEIR's evaluator does by default.
    /// </summary>
    public bool IgnoreIdenticalIds { get; init; }

    /// <summary>Round the aggregate values to this many decimals (BEIR reports 5). Default null (full precision).</summary>
    public int? RoundAggregateDigits { get; init; }

    /// <summary>trec_eval 9.0.x defaults.</summary>
    public static EvaluationOptions TrecEval { get; } = new();

    /// <summary>
    /// BEIR's <c>EvaluateRetrieval.evaluate</c>: identical ids dropped, pytrec_eval (trec_eval 9.0.x) per query over
    /// the queries in both run and qrels, mean over those queries, rounded to 5 decimals.
    /// </summary>
    public static EvaluationOptions Beir { get; } = new() { IgnoreIdenticalIds = true, RoundAggregateDigits = 5 };
}
