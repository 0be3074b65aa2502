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

/// <summary>Training data: a dataset split's qrels (e.g. SciFact <c>train</c>) supply the queries and positives.</summary>
/// <param name="Limit">Use only the first N training queries (0 = all); for quick runs.</param>
/// <param name="TriplesFile">Not supported in specs: the spec loader rejects it with file:line (train on a ready triples
/// file with <c>hn train --triples</c>); kept so the error can point at the line.</param>
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
/// <param name="NumNegatives">Hard negatives per training row. Default <see cref="Mining.MiningDefaults.NumNegatives"/> (3, as
/// sentence-transformers and <c>hn mine</c>); the paper's one negative per row is <c>"num_negatives": 1</c>.</param>
/// <param name="RangeMin">Mining window start (rank, 0-based, inclusive); default 0 (<see cref="Mining.MiningDefaults"/>).</param>
/// <param name="RangeMax">Mining window end (exclusive); default none = sentence-transformers' rule, as <c>hn mine</c>.</param>
/// <param name="Sampling"><c>top</c> (default) or <c>random</c> within the window.</param>
/// <param name="Candidates">Candidates a cross-encoder rescores per query (ce sources); default 100.</param>
/// <param name="SizeBillions">Generator size for the scaling figure (LLM sources).</param>
/// <param name="Template">Prompt template id (LLM sources).</param>
/// <param name="RescoreModel">Cross-encoder that rescores a <c>dense</c> source's candidates (optional).</param>
/// <param name="MaxLength">Token limit of a <c>dense</c> source's bi-encoder while mining (queries and corpus); default the
/// model's own <c>max_seq_length</c> (256 for all-MiniLM-L6-v2).</param>
public sealed record NegativeSourceSpec(
    NegativeSourceKind Kind,
    string Name,
    int NumNegatives = Mining.MiningDefaults.NumNegatives,
    int RangeMin = Mining.MiningDefaults.RangeMin,
    int? RangeMax = null,
    string Sampling = "top",
    string? Model = null,
    string? Backend = null,
    IReadOnlyList<string>? Endpoints = null,
    double? SizeBillions = null,
    string? Template = null,
    int Candidates = Mining.MiningDefaults.Candidates,
    string? RescoreModel = null,
    int? MaxLength = null);

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
/// <param name="AverageOver">Which queries a dataset's mean averages over (data-cards/evaluation-method.md):
/// <c>all_judged</c> (default) — every query in the qrels, a query missing from the run counting 0: trec_eval <c>-c</c>, as
/// Anserini's and Pyserini's BEIR regressions report (which is why BM25 on SciFact gives their 0.6789);
/// <c>in_run</c> — only queries present in the run: BEIR's own <c>EvaluateRetrieval.evaluate</c> (pytrec_eval without -c).</param>
/// <param name="MaxLength">Token limit for dense retrieval (queries and corpus) of every model evaluated, trained or zero-shot;
/// default each model's own <c>max_seq_length</c> (a trained model keeps <c>model.max_length</c>, a pretrained base its own).
/// One value for every row keeps the comparison fair when training used a shorter limit than the base model's.</param>
/// <param name="Alpha">Significance level of Table 1's † marks (after Holm–Bonferroni within a column); default 0.05.</param>
public sealed record EvaluationSpec(
    IReadOnlyList<string> Datasets,
    string Split = "test",
    IReadOnlyList<string>? Metrics = null,
    int TopK = 1000,
    string AverageOver = EvaluationSpec.AllJudged,
    double Alpha = 0.05,
    int? MaxLength = null)
{
    /// <summary><c>average_over</c> value: every judged query (trec_eval -c; Anserini/Pyserini regressions).</summary>
    public const string AllJudged = "all_judged";

    /// <summary><c>average_over</c> value: only the queries in the run (BEIR's evaluator).</summary>
    public const string InRun = "in_run";

    /// <summary>The averaging rule in words, for table legends.</summary>
    public string AveragingNote => AverageOver == InRun
        ? "per-dataset means over the queries present in the run (BEIR's EvaluateRetrieval, pytrec_eval without -c)"
        : "per-dataset means over all judged queries, a query missing from the run counting 0 (trec_eval -c, as Anserini's and Pyserini's BEIR regressions)";

    public IReadOnlyList<string> MetricsOrDefault => Metrics is { Count: > 0 } m ? m : ["ndcg_cut.10"];
}
