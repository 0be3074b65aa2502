namespace HardNegatives.Experiments;

/// <summary>What happened to a step in a run.</summary>
public enum StepStatus { Pending, Reused, Ran, Skipped }

/// <summary>One line of the experiment's progress view.</summary>
public sealed record ExperimentProgress(int Index, int Count, PlannedStep Step, StepStatus Status, StepProgress? Inner = null);

/// <summary>Options of <c>hn reproduce</c>.</summary>
/// <param name="Only">Run only this stage (its inputs must already be stored).</param>
/// <param name="Force">Redo this stage even where its artifacts are stored (downstream steps keep their keys).</param>
public sealed record RunOptions(string? Only = null, string? Force = null);

/// <summary>The result of running a plan: the artifact of every step that has one.</summary>
public sealed record ExperimentOutcome(ExperimentPlan Plan, IReadOnlyDictionary<string, Artifact> Artifacts, IReadOnlyDictionary<string, StepStatus> Status);

/// <summary>
/// Executes a plan against an <see cref="ArtifactStore"/>: steps whose artifact exists are reused, missing ones are run in
/// dependency order. Because artifacts appear atomically, a run killed at any moment resumes where it stopped.
/// </summary>
public sealed class ExperimentRunner(ArtifactStore store, IExperimentStages stages)
{
    public async Task<ExperimentOutcome> RunAsync(ExperimentPlan plan, RunOptions? options = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        foreach (var stage in new[] { options.Only, options.Force }.OfType<string>())
            if (!Stages.All.Contains(stage))
                throw new ArgumentException($"unknown stage '{stage}'; stages are {string.Join(", ", Stages.All)}");

        // A store that already holds every result is only read: no lock, no write, so a read-only store still renders its report.
        var toMake = plan.Steps.Where(s => options.Force == s.Stage || (store.TryGet(s.Stage, s.Key) is null && (options.Only is null || options.Only == s.Stage)))
            .Select(s => s.Id).ToList();
        using var writer = toMake.Count == 0 ? null : store.Lock(toMake);
        var artifacts = new Dictionary<string, Artifact>();
        var status = new Dictionary<string, StepStatus>();
        var spec = plan.Spec;
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = plan.Steps[i];
            if (options.Force == step.Stage) store.Remove(step.Stage, step.Key);
            if (store.TryGet(step.Stage, step.Key) is { } existing)
            {
                artifacts[step.Id] = existing;
                status[step.Id] = StepStatus.Reused;
                progress?.Report(new ExperimentProgress(i, plan.Steps.Count, step, StepStatus.Reused));
                continue;
            }
            if (options.Only is { } only && only != step.Stage)
            {
                status[step.Id] = StepStatus.Skipped;
                progress?.Report(new ExperimentProgress(i, plan.Steps.Count, step, StepStatus.Skipped));
                continue;
            }
            var missing = step.DependsOn.Where(d => !artifacts.ContainsKey(d)).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"{step.Id} needs {string.Join(", ", missing)}, which are not stored yet; run without --only first");

            var inner = new Progress<StepProgress>(p => progress?.Report(new ExperimentProgress(i, plan.Steps.Count, step, StepStatus.Pending, p)));
            progress?.Report(new ExperimentProgress(i, plan.Steps.Count, step, StepStatus.Pending));
            var provenance = Provenance.Capture(plan.SpecHash, step.Seed);
            var input = step.DependsOn.Count > 0 ? artifacts[step.DependsOn[0]] : null;
            artifacts[step.Id] = await store.CreateAsync(step.Stage, step.Key, provenance, dir => step.Stage switch
            {
                Stages.Negatives => stages.MakeNegativesAsync(step.Source!, spec.Training, ExperimentPlanner.NegativesSeed, dir, inner, cancellationToken),
                Stages.Train => stages.TrainAsync(spec.Model, input!.File(ArtifactFiles.Triples), step.Seed!.Value, dir, inner, cancellationToken),
                Stages.Retrieve when step.BaseModel is { } baseModel => stages.RetrieveDenseAsync(baseModel, step.Dataset!, spec.Evaluation.Split, spec.Evaluation.TopK, spec.Evaluation.MaxLength, dir, inner, cancellationToken),
                Stages.Retrieve when input is null => stages.RetrieveBm25Async(step.Dataset!, spec.Evaluation.Split, spec.Evaluation.TopK, dir, inner, cancellationToken),
                Stages.Retrieve => stages.RetrieveDenseAsync(input.File(ArtifactFiles.Model), step.Dataset!, spec.Evaluation.Split, spec.Evaluation.TopK, spec.Evaluation.MaxLength, dir, inner, cancellationToken),
                Stages.Evaluate => stages.EvaluateAsync(step.Dataset!, spec.Evaluation.Split, input!.File(ArtifactFiles.Run), spec.Evaluation.MetricsOrDefault, spec.Evaluation.AverageOver, dir, inner, cancellationToken),
                _ => throw new InvalidOperationException($"no executor for stage {step.Stage}"),
            }, step.Id, step.Parts);
            status[step.Id] = StepStatus.Ran;
            progress?.Report(new ExperimentProgress(i, plan.Steps.Count, step, StepStatus.Ran));
        }
        return new ExperimentOutcome(plan, artifacts, status);
    }

    /// <summary>
    /// What a run would do now, without doing it (<c>--dry-run</c>): for each step whether it is stored, and if not, why it
    /// will run (<see cref="RunReasons"/>: missing, or which of code / input / options changed since its last artifact).
    /// </summary>
    public IReadOnlyList<(PlannedStep Step, bool Stored, string Why)> Preview(ExperimentPlan plan) =>
        plan.Steps.Select(s =>
        {
            var stored = store.TryGet(s.Stage, s.Key) is not null;
            var why = s.Parts is null ? (stored ? RunReasons.Stored : RunReasons.Missing)
                : RunReasons.Why(s.Parts, stored ? null : store.LastPartsOf(s.Stage, s.Id), stored);
            return (s, stored, why);
        }).ToList();
}
