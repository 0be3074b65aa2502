namespace HardNegatives.Experiments;

/// <summary>
/// Turns a spec into steps: negatives per source → one model per (source, seed) → a run per (model, dataset) → an
/// evaluation per run; plus BM25 retrieval runs as a baseline. Each step's key hashes its options with its inputs' keys, so
/// changing one option re-keys exactly the steps downstream of it.
/// </summary>
public static class ExperimentPlanner
{
    /// <summary>Bump a stage's version when its code changes what it produces; stored artifacts of that stage are then redone.</summary>
    public static readonly IReadOnlyDictionary<string, int> StageVersions = new Dictionary<string, int>
    {
        [Stages.Negatives] = 1, [Stages.Train] = 1, [Stages.Retrieve] = 1, [Stages.Evaluate] = 1,
    };

    /// <summary>The seed used for mining/generation, which does not vary with the training seed (as in the paper).</summary>
    public const int NegativesSeed = 42;

    public static ExperimentPlan Plan(ExperimentSpec spec)
    {
        var steps = new List<PlannedStep>();
        var eval = spec.Evaluation;

        var notRun = new List<NotRunReason>();
        foreach (var (source, index) in spec.Sources.Select((s, i) => (s, i)))
        {
            if (SourceReadiness.WhyNotRunnable(source, index) is { } reason) { notRun.Add(reason); continue; }
            var negatives = new PlannedStep($"{Stages.Negatives}/{source.Name}", Stages.Negatives,
                Key(Stages.Negatives, new { spec.Training, source = source with { Name = "" }, seed = NegativesSeed }), [], source);
            steps.Add(negatives);
            foreach (var seed in spec.Seeds)
            {
                var train = new PlannedStep($"{Stages.Train}/{source.Name}/seed={seed}", Stages.Train,
                    Key(Stages.Train, new { negatives = negatives.Key, spec.Model, seed }), [negatives.Id], source, Seed: seed);
                steps.Add(train);
                foreach (var dataset in eval.Datasets)
                    AddRetrieveAndEvaluate(steps, spec, $"{source.Name}/seed={seed}/{dataset}", new { model = train.Key, dataset, eval.Split, eval.TopK },
                        [train.Id], source, dataset, seed);
            }
        }
        if (spec.Bm25Baseline)
            foreach (var dataset in eval.Datasets)
                AddRetrieveAndEvaluate(steps, spec, $"bm25-baseline/{dataset}", new { bm25 = true, dataset, eval.Split, eval.TopK }, [], null, dataset, null);
        if (spec.ZeroShotBaseline == true)
            foreach (var dataset in eval.Datasets)
                AddRetrieveAndEvaluate(steps, spec, $"zero-shot/{dataset}", new { zeroShot = spec.Model.Base, dataset, eval.Split, eval.TopK }, [], null, dataset, null,
                    spec.Model.Base);

        return new ExperimentPlan(spec, ArtifactKey.HashOf(spec), steps, notRun);
    }

    static void AddRetrieveAndEvaluate(List<PlannedStep> steps, ExperimentSpec spec, string label, object retrieveInputs,
        IReadOnlyList<string> dependsOn, NegativeSourceSpec? source, string dataset, int? seed, string? baseModel = null)
    {
        var retrieve = new PlannedStep($"{Stages.Retrieve}/{label}", Stages.Retrieve, Key(Stages.Retrieve, retrieveInputs), dependsOn, source, dataset, seed, baseModel);
        steps.Add(retrieve);
        steps.Add(new PlannedStep($"{Stages.Evaluate}/{label}", Stages.Evaluate,
            Key(Stages.Evaluate, new { run = retrieve.Key, metrics = spec.Evaluation.MetricsOrDefault }), [retrieve.Id], source, dataset, seed, baseModel));
    }

    static string Key(string stage, object inputs) => ArtifactKey.Compute(stage, StageVersions[stage], inputs);
}
