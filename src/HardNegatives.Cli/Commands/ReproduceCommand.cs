using System.CommandLine;
using HardNegatives.Data;
using HardNegatives.Experiments;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn reproduce SPEC</c>: plan, run what is missing, and report an experiment.</summary>
static class ReproduceCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "Experiment spec: a JSON file, or a folder holding spec.json (e.g. experiments/quickstart)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and what is already stored; run nothing." };
        var only = new Option<string?>("--only") { Description = $"Run only this stage ({string.Join(", ", Stages.All)})." };
        var force = new Option<string?>("--force") { Description = "Redo this stage even where its artifacts are stored." };
        var store = new Option<string?>("--store") { Description = "Artifact store folder (default: $HN_HOME/store)." };
        var output = new Option<string?>("--output", "-o") { Description = "Report folder (default: results/<experiment name>)." };
        var command = new Command("reproduce", "Run an experiment end to end, resumably: negatives → training → retrieval → evaluation → report.")
        {
            spec, dryRun, only, force, store, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var experiment = ExperimentSpecLoader.Load(parse.GetValue(spec)!);
            var plan = ExperimentPlanner.Plan(experiment);
            var artifactStore = new ArtifactStore(parse.GetValue(store) ?? Path.Combine(KitPaths.Home, "store"));
            var runner = new ExperimentRunner(artifactStore, new KitStages());
            if (parse.GetValue(dryRun))
            {
                PrintPlan(plan, runner);
                SpecDataCheck.ThrowIfAny(experiment, parse.GetValue(spec)!);
                return 0;
            }
            // Datasets and splits are checked before any stage runs: a typo fails now, not after training.
            SpecDataCheck.ThrowIfAny(experiment, parse.GetValue(spec)!);
            var outcome = await RunWithProgressAsync(runner, plan, new RunOptions(parse.GetValue(only), parse.GetValue(force)), ct);
            var reportDir = parse.GetValue(output) ?? Path.Combine("results", experiment.Name);
            var files = await ExperimentReport.WriteAsync(outcome, reportDir, KitStages.Significance, await KitStages.DiagnosticsCrossEncoderAsync(experiment, ct));
            AnsiConsole.WriteLine();
            Console.WriteLine(File.ReadAllText(files.Markdown));
            AnsiConsole.MarkupLine($"[green]report[/] {Markup.Escape(Path.GetFullPath(files.Directory))}: table1.md/.tex/.html, bars.html" +
                (files.Scaling is null ? "" : ", scaling.html") + ", diagnostics.md");
            return 0;
        });
        return command;
    }

    static void PrintPlan(ExperimentPlan plan, ExperimentRunner runner)
    {
        var table = new Table().AddColumns("#", "step", "key", "state", "why");
        int i = 0;
        foreach (var (step, stored, why) in runner.Preview(plan))
            table.AddRow($"{++i}", Markup.Escape(step.Id), step.Key[..12], stored ? "[green]stored[/]" : "[yellow]to run[/]", Markup.Escape(why));
        AnsiConsole.Write(table);
        foreach (var n in plan.NotRun)
            AnsiConsole.MarkupLine($"[grey]not run:[/] {Markup.Escape(n.Source)} — {Markup.Escape(n.Reason)}; enable with [bold]{Markup.Escape(n.Enable)}[/]");
        AnsiConsole.MarkupLine("[grey]why: missing = never made; code = the stage's code changed; input = an input file or upstream artifact changed; options = its spec options changed[/]");
        AnsiConsole.MarkupLine($"spec hash {plan.SpecHash}");
    }

    static async Task<ExperimentOutcome> RunWithProgressAsync(ExperimentRunner runner, ExperimentPlan plan, RunOptions options, CancellationToken ct)
    {
        ExperimentOutcome? outcome = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var overall = ctx.AddTask($"{Markup.Escape(plan.Spec.Name)}: {plan.Steps.Count} steps", maxValue: plan.Steps.Count);
                var current = ctx.AddTask("starting", maxValue: 1);
                var progress = new Progress<ExperimentProgress>(p =>
                {
                    if (p.Status is StepStatus.Ran or StepStatus.Reused or StepStatus.Skipped) overall.Value = p.Index + 1;
                    var label = p.Status == StepStatus.Reused ? $"{p.Step.Id} (stored)" : p.Step.Id;
                    current.Description = Markup.Escape(p.Inner is { } inner ? $"{label}: {inner.Message}" : label);
                    current.Value = p.Inner?.Fraction ?? (p.Status == StepStatus.Pending ? 0 : 1);
                });
                outcome = await runner.RunAsync(plan, options, progress, ct);
                current.Description = "done";
                current.Value = 1;
            });
        return outcome!;
    }
}
