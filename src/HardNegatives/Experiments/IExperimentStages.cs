namespace HardNegatives.Experiments;

/// <summary>Progress inside one step (a fraction when known) for the experiment's single progress view.</summary>
public sealed record StepProgress(string Message, double? Fraction = null);

/// <summary>
/// The work behind each stage. KitStages implements it with the kit's miners, generator, trainer, retrievers
/// and evaluator; tests substitute their own to check planning, caching and resumption. Every method writes its outputs into
/// <c>outputDir</c> under the file names of <see cref="ArtifactFiles"/> and returns a small summary for the store.
/// </summary>
public interface IExperimentStages
{
    Task<IReadOnlyDictionary<string, string>> MakeNegativesAsync(NegativeSourceSpec source, TrainingDataSpec training, int seed,
        string outputDir, IProgress<StepProgress> progress, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> TrainAsync(ModelSpec model, string triplesPath, int seed,
        string outputDir, IProgress<StepProgress> progress, CancellationToken cancellationToken);

    /// <param name="maxLength">Token limit for queries and documents; null = the model's own.</param>
    Task<IReadOnlyDictionary<string, string>> RetrieveDenseAsync(string modelDir, string dataset, string split, int topK, int? maxLength,
        string outputDir, IProgress<StepProgress> progress, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> RetrieveBm25Async(string dataset, string split, int topK,
        string outputDir, IProgress<StepProgress> progress, CancellationToken cancellationToken);

    /// <param name="averageOver"><see cref="EvaluationSpec.AllJudged"/> or <see cref="EvaluationSpec.InRun"/>.</param>
    Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string dataset, string split, string runPath, IReadOnlyList<string> metrics,
        string averageOver, string outputDir, IProgress<StepProgress> progress, CancellationToken cancellationToken);
}

/// <summary>File names inside artifact folders; the contract between stages.</summary>
public static class ArtifactFiles
{
    public const string Triples = "triples.jsonl";
    public const string Model = "model";
    public const string Run = "run.trec";
    /// <summary>Per-query scores: JSON object measure → (query id → value).</summary>
    public const string PerQuery = "per-query.json";
}
