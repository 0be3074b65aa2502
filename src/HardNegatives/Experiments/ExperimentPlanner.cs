namespace HardNegatives.Experiments;

/// <summary>
/// Turns a spec into steps: negatives per source → one model per (source, seed) → a run per (model, dataset) → an
/// evaluation per run; plus BM25 retrieval runs as a baseline. Each step's key hashes its stage's code identity, the content
/// of its input files and the keys of the artifacts it reads, and its options (<see cref="KeyParts"/>): changing code, an
/// input file or an option re-keys exactly that step and the steps downstream of it.
/// </summary>
public static class ExperimentPlanner
{
    /// <summary>The seed used for mining/generation, which does not vary with the training seed (as in the paper).</summary>
    public const int NegativesSeed = 42;

    /// <summary>Plans <paramref name="spec"/>; <paramref name="inputs"/> defaults to the kit's code and file identities.</summary>
    public static ExperimentPlan Plan(ExperimentSpec spec, IPlanInputs? inputs = null)
    {
        inputs ??= KitPlanInputs.Instance;
        var steps = new List<PlannedStep>();
        var eval = spec.Evaluation;

        var notRun = new List<NotRunReason>();
        foreach (var (source, index) in spec.Sources.Select((s, i) => (s, i)))
        {
            if (SourceReadiness.WhyNotRunnable(source, index) is { } reason) { notRun.Add(reason); continue; }
            var negativeInputs = new Dictionary<string, string>();
            if (spec.Training.Dataset is { } trainingSet)
                foreach (var (k, v) in inputs.DatasetFiles(trainingSet, spec.Training.Split, corpus: true)) negativeInputs[k] = v;
            if (inputs.LocalPath(source.Model) is { } sourceModel) negativeInputs["source.model"] = sourceModel;
            var negatives = Step($"{Stages.Negatives}/{source.Name}", Stages.Negatives, inputs, negativeInputs,
                new { spec.Training, source = source with { Name = "" }, seed = NegativesSeed }, [], source);
            steps.Add(negatives);
            foreach (var seed in spec.Seeds)
            {
                var trainInputs = new Dictionary<string, string> { ["negatives"] = negatives.Key };
                if (inputs.LocalPath(spec.Model.Base) is { } baseModel) trainInputs["model.base"] = baseModel;
                var train = Step($"{Stages.Train}/{source.Name}/seed={seed}", Stages.Train, inputs, trainInputs,
                    new { spec.Model, seed }, [negatives.Id], source, seed: seed);
                steps.Add(train);
                foreach (var dataset in eval.Datasets)
                    AddRetrieveAndEvaluate(steps, spec, inputs, $"{source.Name}/seed={seed}/{dataset}", ("model", train.Key),
                        new { dataset, eval.Split, eval.TopK, max_length = eval.MaxLength }, [train.Id], source, dataset, seed);
            }
        }
        if (spec.Bm25Baseline)
            foreach (var dataset in eval.Datasets)
                AddRetrieveAndEvaluate(steps, spec, inputs, $"bm25-baseline/{dataset}", null, new { bm25 = true, dataset, eval.Split, eval.TopK },
                    [], null, dataset, null);
        if (spec.ZeroShotBaseline == true)
            foreach (var dataset in eval.Datasets)
                AddRetrieveAndEvaluate(steps, spec, inputs, $"zero-shot/{dataset}", null, new { zeroShot = spec.Model.Base, dataset, eval.Split, eval.TopK, max_length = eval.MaxLength },
                    [], null, dataset, null, spec.Model.Base);

        return new ExperimentPlan(spec, ArtifactKey.HashOf(spec), steps, notRun);
    }

    static void AddRetrieveAndEvaluate(List<PlannedStep> steps, ExperimentSpec spec, IPlanInputs inputs, string label, (string Name, string Key)? upstream,
        object retrieveOptions, IReadOnlyList<string> dependsOn, NegativeSourceSpec? source, string dataset, int? seed, string? baseModel = null)
    {
        var retrieveInputs = new Dictionary<string, string>(inputs.DatasetFiles(dataset, spec.Evaluation.Split, corpus: true));
        if (upstream is { } u) retrieveInputs[u.Name] = u.Key;
        var retrieve = Step($"{Stages.Retrieve}/{label}", Stages.Retrieve, inputs, retrieveInputs, retrieveOptions, dependsOn, source, dataset, seed, baseModel);
        steps.Add(retrieve);
        var evaluateInputs = new Dictionary<string, string>(inputs.DatasetFiles(dataset, spec.Evaluation.Split, corpus: false)) { ["run"] = retrieve.Key };
        steps.Add(Step($"{Stages.Evaluate}/{label}", Stages.Evaluate, inputs, evaluateInputs,
            new { metrics = spec.Evaluation.MetricsOrDefault, average_over = spec.Evaluation.AverageOver }, [retrieve.Id], source, dataset, seed, baseModel));
    }

    static PlannedStep Step(string id, string stage, IPlanInputs inputs, IReadOnlyDictionary<string, string> files, object options,
        IReadOnlyList<string> dependsOn, NegativeSourceSpec? source, string? dataset = null, int? seed = null, string? baseModel = null)
    {
        var parts = new KeyParts(inputs.CodeOf(stage), files, ArtifactKey.OptionsHash(options));
        return new PlannedStep(id, stage, ArtifactKey.Compute(stage, parts), dependsOn, source, dataset, seed, parts, baseModel);
    }
}
