using HardNegatives.Evaluation;

namespace HardNegatives.Experiments;

/// <summary>
/// Checks of a spec that need no files: counts and cutoffs in range, metrics the evaluator knows, seeds that differ.
/// Part of <see cref="ExperimentSpecLoader.Validate"/>, so they fail at load time (and in <c>--dry-run</c>), not after training.
/// </summary>
public static class SpecRangeChecks
{
    public static IEnumerable<ExperimentSpecLoader.Problem> Problems(ExperimentSpec spec)
    {
        if (spec.Training is { } t)
        {
            if (t.Limit < 0) yield return new("training.limit", $"must be 0 (all queries) or a positive count (is {t.Limit})");
            if (t.Dataset is not null && string.IsNullOrWhiteSpace(t.Split)) yield return new("training.split", "give a split, e.g. train");
        }
        if (spec.Evaluation is { } e)
        {
            if (e.TopK < 1) yield return new("evaluation.top_k", $"must be at least 1 (is {e.TopK}); e.g. 1000, as BEIR");
            if (string.IsNullOrWhiteSpace(e.Split)) yield return new("evaluation.split", "give a split, e.g. test");
            if (MaxLengthProblem(e.MaxLength) is { } length) yield return new("evaluation.max_length", length);
            for (int i = 0; i < (e.Metrics?.Count ?? 0); i++)
                if (MetricProblem(e.Metrics![i]) is { } problem) yield return new($"evaluation.metrics[{i}]", problem);
            for (int i = 0; i < (e.Datasets?.Count ?? 0); i++)
                if (string.IsNullOrWhiteSpace(e.Datasets![i])) yield return new($"evaluation.datasets[{i}]", "empty dataset name");
        }
        for (int i = 0; i < (spec.Sources?.Count ?? 0); i++)
            if (spec.Sources![i] is { } s && MaxLengthProblem(s.MaxLength) is { } length) yield return new($"sources[{i}].max_length", length);
        if (spec.Seeds is { } seeds)
        {
            var seen = new HashSet<int>();
            for (int i = 0; i < seeds.Count; i++)
                if (!seen.Add(seeds[i]))
                    yield return new($"seeds[{i}]", $"seed {seeds[i]} is listed twice (a repeated seed trains the same model again and shrinks the reported sd)");
        }
    }

    /// <summary>BERT-family encoders take 512 positions at most; fewer than 8 tokens leave no text after [CLS] and [SEP].</summary>
    static string? MaxLengthProblem(int? maxLength) =>
        maxLength is { } n && (n < 8 || n > 512) ? $"must be between 8 and 512 tokens (is {n}); leave it out to use the model's own" : null;

    /// <summary>
    /// A spec metric names one trec_eval value (<c>ndcg_cut.10</c>, <c>recall.100</c>, <c>map</c>, <c>recip_rank</c>,
    /// <c>P.10</c>): reports read it back under trec_eval's output name.
    /// </summary>
    static string? MetricProblem(string metric)
    {
        const string accepted = "use one trec_eval measure with at most one cutoff, e.g. ndcg_cut.10, recall.100, map, recip_rank, P.10, map_cut.100";
        if (string.IsNullOrWhiteSpace(metric)) return $"empty metric; {accepted}";
        if (metric.Contains('@') || metric.Contains(',')) return $"'{metric}' is not a single trec_eval measure; {accepted}";
        try
        {
            MeasureRegistry.Parse(metric);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"unknown metric '{metric}' ({ex.Message}); {accepted}";
        }
    }
}
