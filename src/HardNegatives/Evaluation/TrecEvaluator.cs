using HardNegatives.Retrieval;

namespace HardNegatives.Evaluation;

/// <summary>
/// Evaluates a run against judgments with trec_eval 9.0.x semantics (as pytrec_eval and BEIR use it).
/// <list type="bullet">
/// <item>Ranking: rank column ignored; score descending, ties by document id descending (<see cref="TrecRanking"/>).</item>
/// <item>Queries in the run without judgments are ignored ("Queries for which there is no relevance information are
/// ignored", trec_eval.c help text).</item>
/// <item>A judged query whose judgments hold no relevant document still counts (its values are 0), as in trec_eval.</item>
/// <item>Means divide by the number of evaluated queries, or with <see cref="EvaluationOptions.AverageOverAllJudgedQueries"/>
/// (-c) by the number of queries in the qrels (meas_avg.c: <c>num_queries = all_rel_info->num_q_rels</c>); queries
/// missing from the run then contribute 0 and are evaluated as empty rankings (so num_rel still counts their R).</item>
/// <item>Counts (num_q, num_ret, num_rel, num_rel_ret) are summed, not averaged. Sums run in query-id order, as trec_eval's.</item>
/// </list>
/// </summary>
public static class TrecEvaluator
{
    /// <summary>Evaluates <paramref name="run"/> on <paramref name="measures"/>.</summary>
    public static EvaluationResult Evaluate(Judgments judgments, IEnumerable<RunEntry> run, IReadOnlyList<TrecMeasure> measures,
        EvaluationOptions? options = null)
    {
        options ??= EvaluationOptions.TrecEval;
        string? tag = null;
        var byQuery = TrecRunFile.Group(run.Select(e => { tag = e.Tag; return e; }));
        var rankings = Rank(judgments, byQuery, options);
        if (rankings.Count == 0)
            throw new InvalidDataException("no query is both in the run and in the qrels (trec_eval: \"No queries with both results and relevance info\"); check that the query ids match");
        return Evaluate(rankings, measures, options.AverageOverAllJudgedQueries ? judgments.QueryCount : rankings.Count, options, tag);
    }

    /// <summary>Evaluates a run file against a qrels file (TREC or BEIR TSV).</summary>
    public static EvaluationResult Evaluate(string qrelsPath, string runPath, IEnumerable<string> measures, EvaluationOptions? options = null) =>
        Evaluate(Judgments.Load(qrelsPath), TrecRunFile.Read(runPath), MeasureRegistry.Resolve(measures), options);

    /// <summary>The judged rankings to evaluate, in trec_eval's query order.</summary>
    public static IReadOnlyList<JudgedRanking> Rank(Judgments judgments, IReadOnlyDictionary<string, List<RunEntry>> run, EvaluationOptions options)
    {
        var rankings = new List<JudgedRanking>();
        foreach (var qid in judgments.QueryIds)
        {
            var judged = judgments.For(qid)!;
            if (run.TryGetValue(qid, out var entries))
            {
                IEnumerable<RunEntry> kept = options.IgnoreIdenticalIds ? entries.Where(e => e.DocumentId != qid) : entries;
                rankings.Add(TrecRanking.Judge(qid, kept, judged, options.RelevanceLevel, options.MaxDocumentsPerQuery));
            }
            else if (options.AverageOverAllJudgedQueries)
                rankings.Add(TrecRanking.Judge(qid, null, judged, options.RelevanceLevel, options.MaxDocumentsPerQuery));
        }
        return rankings;
    }

    static EvaluationResult Evaluate(IReadOnlyList<JudgedRanking> rankings, IReadOnlyList<TrecMeasure> measures, int denominator,
        EvaluationOptions options, string? tag)
    {
        var names = measures.SelectMany(m => m.ValueNames).ToArray();
        var sums = new double[names.Length];
        var geometric = measures.SelectMany(m => m.ValueNames.Select(_ => m.Aggregation == Aggregation.GeometricMean)).ToArray();
        var queries = new List<QueryEvaluation>(rankings.Count);
        foreach (var ranking in rankings)
        {
            var values = new double[names.Length];
            int offset = 0;
            foreach (var m in measures)
            {
                m.Compute(ranking, values.AsSpan(offset, m.ValueNames.Count));
                offset += m.ValueNames.Count;
            }
            for (int i = 0; i < values.Length; i++) sums[i] += geometric[i] ? Math.Log(values[i]) : values[i];
            var dict = new Dictionary<string, double>(names.Length, StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++) dict[names[i]] = values[i];
            queries.Add(new QueryEvaluation(ranking.QueryId, ranking.MissingFromRun, dict));
        }
        var summary = new List<MeasureSummary>(names.Length);
        int index = 0;
        foreach (var m in measures)
            foreach (var name in m.ValueNames)
            {
                double value = m.Aggregation switch
                {
                    Aggregation.Sum => sums[index],
                    Aggregation.Label => 0,
                    Aggregation.GeometricMean => denominator > 0 ? Math.Exp(sums[index] / denominator) : 0,
                    _ => denominator > 0 ? sums[index] / denominator : 0,
                };
                if (options.RoundAggregateDigits is { } digits && m.Aggregation is Aggregation.Mean or Aggregation.GeometricMean)
                    value = Math.Round(value, digits, MidpointRounding.ToEven);
                summary.Add(new MeasureSummary(name, m.Name, m.Aggregation, value));
                index++;
            }
        return new EvaluationResult(measures, queries, summary, denominator, tag);
    }
}
