namespace HardNegatives.Experiments;

/// <summary>
/// One experiment as data: where training queries come from, which negative sources to compare, how to train, and where to
/// evaluate. Loaded from a JSON file by <see cref="ExperimentSpecLoader"/>; every field has a documented default.
/// </summary>
/// <param name="Name">A short name used in reports and the artifact store.</param>
/// <param name="Training">The training queries and their positives.</param>
/// <param name="Sources">The negative sources to compare; one trained model per source and seed.</param>
/// <param name="Model">The bi-encoder to fine-tune and its hyperparameters.</param>
/// <param name="Evaluation">Datasets, split and metrics for evaluation.</param>
/// <param name="Seeds">Training seeds; Table 1 reports mean ± sd over them.</param>
/// <param name="Bm25Baseline">Also evaluate plain BM25 retrieval on every evaluation dataset (a row of its own).</param>
/// <param name="ZeroShotBaseline">Also evaluate <c>model.base</c> without training (a pretrained base such as
/// all-MiniLM-L6-v2) on every evaluation dataset, a row of its own. Default off (null keeps older specs' hashes).</param>
public sealed record ExperimentSpec(
    string Name,
    TrainingDataSpec Training,
    IReadOnlyList<NegativeSourceSpec> Sources,
    ModelSpec Model,
    EvaluationSpec Evaluation,
    IReadOnlyList<int> Seeds,
    bool Bm25Baseline = true,
    bool? ZeroShotBaseline = null);

/// <summary>Training data: a dataset split's qrels (e.g. SciFact <c>train</c>), or a ready triples file (negatives then come from it).</summary>
/// <param name="Limit">Use only the first N training queries (0 = all); for quick runs.</param>
public sealed record TrainingDataSpec(string? Dataset = null, string Split = "train", string? TriplesFile = null, int Limit = 0);

/// <summary>Which kinds of negative source the kit knows.</summary>
public enum NegativeSourceKind { Random, Bm25, Ce, Llm, Dense }

/// <summary>
/// One negative source. <see cref="Kind"/> decides which other fields matter:
/// <c>bm25</c>, <c>ce</c> and <c>dense</c> use the mining window; <c>ce</c> needs <see cref="Model"/> (a cross-encoder); <c>dense</c> takes
/// <see cref="Model"/> as the bi-encoder that mines (default all-MiniLM-L6-v2) and optionally <see cref="RescoreModel"/>; <c>llm</c> needs
/// <see cref="Model"/> plus <see cref="Backend"/> and <see cref="Endpoints"/> (or the embedded backend and a model folder).
/// </summary>
/// <param name="Name">Row label in reports, e.g. <c>BM25</c>, <c>Qwen3-14B</c>.</param>
/// <param name="NumNegatives">Hard negatives per training row (default 1, as the paper).</param>
/// <param name="RangeMin">Mining window start (rank, 0-based, inclusive).</param>
/// <param name="RangeMax">Mining window end (exclusive).</param>
/// <param name="Sampling"><c>top</c> or <c>random</c> within the window.</param>
/// <param name="SizeBillions">Generator size for the scaling figure (LLM sources).</param>
/// <param name="Template">Prompt template id (LLM sources).</param>
/// <param name="RescoreModel">Cross-encoder that rescores a <c>dense</c> source's candidates (optional).</param>
public sealed record NegativeSourceSpec(
    NegativeSourceKind Kind,
    string Name,
    int NumNegatives = 1,
    int RangeMin = 10,
    int RangeMax = 100,
    string Sampling = "top",
    string? Model = null,
    string? Backend = null,
    IReadOnlyList<string>? Endpoints = null,
    double? SizeBillions = null,
    string? Template = null,
    int Candidates = 100,
    string? RescoreModel = null);

/// <summary>
/// The bi-encoder: <see cref="Base"/> is a Hugging Face name or folder (e.g. <c>distilbert-base-uncased</c>) or a from-scratch
/// preset such as <c>tiny:layers=2,dim=128</c> with the bundled bert-base-uncased vocabulary.
/// </summary>
public sealed record ModelSpec(
    string Base = "distilbert-base-uncased",
    int Epochs = 1,
    int BatchSize = 32,
    double LearningRate = 2e-5,
    double WarmupRatio = 0.1,
    int MaxLength = 256,
    string Loss = "mnrl",
    int MaxSteps = 0);

/// <summary>Evaluation datasets (default: the 10 BEIR datasets named in data-cards/README.md), split, metrics and cutoff.</summary>
public sealed record EvaluationSpec(
    IReadOnlyList<string> Datasets,
    string Split = "test",
    IReadOnlyList<string>? Metrics = null,
    int TopK = 1000)
{
    public IReadOnlyList<string> MetricsOrDefault => Metrics is { Count: > 0 } m ? m : ["ndcg_cut.10"];
}
