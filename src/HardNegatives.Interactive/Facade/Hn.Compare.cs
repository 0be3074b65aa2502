using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Evaluation.Significance;
using HardNegatives.Interactive.Facade;
using HardNegatives.Retrieval;

namespace HardNegatives.Interactive;

// Comparing systems: PyTerrier's pt.Experiment in one call.
public static partial class Hn
{
    /// <summary>
    /// Compares runs with a baseline on <paramref name="dataset"/>'s qrels, as <c>pt.Experiment([...], topics, qrels,
    /// eval_metrics, names=…, baseline=0, correction='holm')</c> does: every run is evaluated with trec_eval semantics over
    /// the judged queries any run covers (a query a run misses scores 0 there), each measure is tested per query against the
    /// baseline, the p-values are corrected over the whole family, and one table comes back (<see cref="SystemsComparison"/>).
    /// The statistics are <see cref="SystemComparison"/>'s, the code behind <c>hn compare</c>.
    /// </summary>
    /// <example><code>Hn.Compare([bm25, dense], "scifact", names: ["BM25", "dense"], measures: ["ndcg_cut.10", "recall.100"])</code></example>
    /// <param name="runs">Two or more runs (e.g. from <see cref="SearchBm25"/>, <see cref="SearchDense"/>).</param>
    /// <param name="names">One name per run; default each run's tag (or <c>run N</c> when tags repeat).</param>
    /// <param name="baseline">The name of the run the others are tested against; default the first.</param>
    /// <param name="measures">trec_eval measures (<c>ndcg_cut.10</c>, <c>recall.100</c>, <c>map</c>…); default nDCG@10.</param>
    /// <param name="test"><c>t</c> (Student's paired t-test, PyTerrier's default) or <c>randomization</c> (paired sign flips).</param>
    /// <param name="correction"><c>holm</c> (Holm–Bonferroni over every system × measure) or <c>none</c>.</param>
    /// <param name="options">α, permutations, bootstrap resamples and seed (defaults: 0.05, 10,000, 10,000, 42).</param>
    public static SystemsComparison Compare(IReadOnlyList<IEnumerable<RunEntry>> runs, string dataset, IReadOnlyList<string>? names = null,
        string? baseline = null, string split = "test", IReadOnlyList<string>? measures = null, string test = "t", string correction = "holm",
        ComparisonOptions? options = null)
    {
        if (runs.Count < 2) throw new ArgumentException($"compare needs a baseline and at least one other run (got {runs.Count})");
        test = test.ToLowerInvariant() switch
        {
            "t" or "t-test" or "ttest" => "t",
            "randomization" or "rand" or "permutation" => "randomization",
            _ => throw new ArgumentException($"test '{test}' is not known; use t (paired t-test) or randomization"),
        };
        correction = correction.ToLowerInvariant() is "holm" or "none" ? correction.ToLowerInvariant()
            : throw new ArgumentException($"correction '{correction}' is not known; use holm or none");
        var entries = runs.Select(r => r as IReadOnlyList<RunEntry> ?? r.ToList()).ToList();
        var systemNames = names is null ? DefaultNames(entries) : names.ToList();
        if (systemNames.Count != entries.Count) throw new ArgumentException($"{systemNames.Count} names for {entries.Count} runs; give one name per run");
        if (systemNames.Distinct().Count() != systemNames.Count) throw new ArgumentException($"names must differ: {string.Join(", ", systemNames)}");
        var baselineName = baseline ?? systemNames[0];
        int b = systemNames.IndexOf(baselineName);
        if (b < 0) throw new ArgumentException($"baseline '{baselineName}' is none of the systems: {string.Join(", ", systemNames)}");

        var ds = DatasetLocator.Open(dataset);
        IReadOnlyList<string> specs = measures is { Count: > 0 } ? measures : ["ndcg_cut.10"];
        var resolved = MeasureRegistry.Resolve(specs);
        // Columns in the order the measures were asked for (the registry orders them as trec_eval prints them).
        var valueNames = specs.SelectMany(spec => MeasureRegistry.Resolve([spec])).Where(m => m.Aggregation == Aggregation.Mean)
            .SelectMany(m => m.ValueNames).Distinct().ToList();
        if (valueNames.Count == 0) throw new ArgumentException($"none of {string.Join(", ", measures ?? [])} is a per-query mean; compare needs one (e.g. ndcg_cut.10)");
        var judgments = JudgmentsFor(ds, split, entries.SelectMany(e => e).Select(e => e.QueryId));
        var evaluations = entries.Select(e => EvaluateRun(judgments, e, resolved)).ToList();
        // The library takes the baseline first; the table keeps the order the systems were given in.
        var order = new[] { b }.Concat(Enumerable.Range(0, entries.Count).Where(i => i != b)).ToList();
        options ??= new ComparisonOptions();
        var rows = SystemComparison.Compare(order.Select(i => (systemNames[i], evaluations[i])).ToList(), valueNames, options);
        var paired = evaluations.Select(e => e.Queries.Select(q => q.QueryId)).Aggregate((x, y) => x.Intersect(y, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        return new SystemsComparison(ds.Name, split, systemNames, baselineName, valueNames, test, correction, options, rows, evaluations, paired);
    }

    /// <summary>Compares TREC run files; names default to the file names. See <see cref="Compare(IReadOnlyList{IEnumerable{RunEntry}}, string, IReadOnlyList{string}?, string?, string, IReadOnlyList{string}?, string, string, ComparisonOptions?)"/>.</summary>
    public static SystemsComparison Compare(IReadOnlyList<string> runFiles, string dataset, IReadOnlyList<string>? names = null,
        string? baseline = null, string split = "test", IReadOnlyList<string>? measures = null, string test = "t", string correction = "holm",
        ComparisonOptions? options = null) =>
        Compare(runFiles.Select(f => (IEnumerable<RunEntry>)TrecRunFile.Read(f).ToList()).ToList(), dataset,
            names ?? runFiles.Select(f => Path.GetFileNameWithoutExtension(f)).ToList(), baseline, split, measures, test, correction, options);

    /// <summary>
    /// Compares the rows of a reproduced experiment on one dataset (<see cref="ExperimentResult.Runs"/>), on the spec's split and
    /// metrics unless <paramref name="measures"/> says otherwise: <c>Hn.Compare(experiment.Runs(), baseline: "BM25")</c>.
    /// </summary>
    public static SystemsComparison Compare(ExperimentRuns runs, string? baseline = null, IReadOnlyList<string>? measures = null, string test = "t",
        string correction = "holm", ComparisonOptions? options = null) =>
        Compare(runs.RunFiles, runs.Dataset, runs.Names, baseline, runs.Split, measures ?? runs.Metrics, test, correction, options);

    static List<string> DefaultNames(IReadOnlyList<IReadOnlyList<RunEntry>> runs)
    {
        var tags = runs.Select((r, i) => r.Count > 0 ? r[0].Tag : $"run {i + 1}").ToList();
        return tags.Distinct().Count() == tags.Count ? tags : runs.Select((_, i) => $"run {i + 1}").ToList();
    }
}
