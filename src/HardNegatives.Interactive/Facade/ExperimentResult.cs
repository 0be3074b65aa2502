using HardNegatives.Experiments;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Reporting;

namespace HardNegatives.Interactive.Facade;

/// <summary>A reproduced experiment: its plan, what ran or was reused, its Table 1 and the report folder.</summary>
public sealed record ExperimentResult(string Name, ExperimentPlan Plan, ExperimentOutcome Outcome, ResultTable Table, string ReportFolder)
{
    public int Ran => Outcome.Status.Values.Count(s => s == StepStatus.Ran);
    public int Reused => Outcome.Status.Values.Count(s => s == StepStatus.Reused);

    public string ToHtml() =>
        Html.Wrap($"<h4>{Html.Encode(Name)}: {Plan.Steps.Count} steps ({Ran} ran, {Reused} stored)</h4>" + KitResultsHtml.Render(Table)
            + (Plan.NotRun.Count == 0 ? "" : "<p>not run: " + string.Join("; ", Plan.NotRun.Select(n => Html.Encode($"{n.Source} ({n.Reason}; {n.Enable})"))) + "</p>"));

    public override string ToString() => $"{Name}: {Plan.Steps.Count} steps ({Ran} ran, {Reused} stored)\n{ResultTableExport.ToMarkdown(Table)}";
}
