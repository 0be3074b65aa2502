using HardNegatives.Experiments;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Reporting;

namespace HardNegatives.Interactive.Facade;

/// <summary>A reproduced experiment: its plan, what ran or was reused, its Table 1 and the report folder.</summary>
public sealed record ExperimentResult(string Name, ExperimentPlan Plan, ExperimentOutcome Outcome, ResultTable Table, string ReportFolder)
{
    public int Ran => Outcome.Status.Values.Count(s => s == StepStatus.Ran);
    public int Reused => Outcome.Status.Values.Count(s => s == StepStatus.Reused);

    /// <summary>
    /// The stored retrieval runs behind one column of the table, one per row that ran (plain BM25, the untrained base
    /// model where planned, each trained source for one seed), with the spec's split and metrics: what
    /// <see cref="Hn.Compare(ExperimentRuns, string?, IReadOnlyList{string}?, string, string, HardNegatives.Evaluation.Significance.ComparisonOptions?)"/> takes.
    /// </summary>
    /// <param name="dataset">An evaluation dataset of the spec; default its first.</param>
    /// <param name="seed">A training seed of the spec; default its first.</param>
    public ExperimentRuns Runs(string? dataset = null, int? seed = null)
    {
        var spec = Plan.Spec;
        dataset ??= spec.Evaluation.Datasets[0];
        if (!spec.Evaluation.Datasets.Contains(dataset)) throw new ArgumentException($"'{dataset}' is not evaluated by {Name}; its datasets: {string.Join(", ", spec.Evaluation.Datasets)}");
        seed ??= spec.Seeds[0];
        if (!spec.Seeds.Contains(seed.Value)) throw new ArgumentException($"seed {seed} is not one of {Name}'s: {string.Join(", ", spec.Seeds)}");
        var steps = Plan.Steps.Where(s => s.Stage == Stages.Retrieve && s.Dataset == dataset && (s.Seed is null || s.Seed == seed)
            && Outcome.Artifacts.ContainsKey(s.Id)).ToList();
        return new ExperimentRuns(dataset, spec.Evaluation.Split,
            [.. steps.Select(s => s.Source?.Name ?? (s.BaseModel is null ? ExperimentPlan.Bm25BaselineRow : ExperimentPlan.ZeroShotRow(spec)))],
            [.. steps.Select(s => Outcome.Artifacts[s.Id].File(ArtifactFiles.Run))], spec.Evaluation.Metrics);
    }

    public string ToHtml() =>
        Html.Wrap($"<h4>{Html.Encode(Name)}: {Plan.Steps.Count} steps ({Ran} ran, {Reused} stored)</h4>" + KitResultsHtml.Render(Table)
            + (Plan.NotRun.Count == 0 ? "" : "<p>not run: " + string.Join("; ", Plan.NotRun.Select(n => Html.Encode($"{n.Source} ({n.Reason}; {n.Enable})"))) + "</p>"));

    public override string ToString() => $"{Name}: {Plan.Steps.Count} steps ({Ran} ran, {Reused} stored)\n{ResultTableExport.ToMarkdown(Table)}";
}

/// <summary>Named TREC run files on one dataset, with the split and measures to compare them on (<see cref="ExperimentResult.Runs"/>).</summary>
public sealed record ExperimentRuns(string Dataset, string Split, IReadOnlyList<string> Names, IReadOnlyList<string> RunFiles, IReadOnlyList<string>? Metrics);
