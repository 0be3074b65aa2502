namespace HardNegatives.Experiments;

/// <summary>The stages of an experiment, in the order data flows.</summary>
public static class Stages
{
    public const string Negatives = "negatives";
    public const string Train = "train";
    public const string Retrieve = "retrieve";
    public const string Evaluate = "evaluate";
    public const string Report = "report";
    public static readonly IReadOnlyList<string> All = [Negatives, Train, Retrieve, Evaluate, Report];
}

/// <summary>
/// One unit of work with its content address. <see cref="DependsOn"/> holds the ids of the steps whose artifacts it reads.
/// </summary>
/// <param name="Id">Stable, readable id such as <c>train/BM25/seed=1</c>.</param>
/// <param name="Source">The negative source this step belongs to (null for the BM25 retrieval baseline).</param>
/// <param name="Dataset">The evaluation dataset for retrieve/evaluate steps.</param>
/// <param name="Parts">What <see cref="Key"/> was computed from (code, inputs, options), so a rerun can say why it runs.</param>
/// <param name="BaseModel">For the zero-shot baseline's retrieve/evaluate steps: the untrained model that retrieves.</param>
public sealed record PlannedStep(
    string Id,
    string Stage,
    string Key,
    IReadOnlyList<string> DependsOn,
    NegativeSourceSpec? Source = null,
    string? Dataset = null,
    int? Seed = null,
    KeyParts? Parts = null,
    string? BaseModel = null);

/// <summary>The full plan: every step of an experiment in dependency order.</summary>
public sealed record ExperimentPlan(ExperimentSpec Spec, string SpecHash, IReadOnlyList<PlannedStep> Steps, IReadOnlyList<NotRunReason> NotRun)
{
    public PlannedStep this[string id] => Steps.First(s => s.Id == id);

    /// <summary>Name of the row for the plain BM25 retrieval baseline in reports.</summary>
    public const string Bm25BaselineRow = "BM25 (no training)";

    /// <summary>Name of the row for the untrained base model (spec <c>zero_shot_baseline</c>).</summary>
    public static string ZeroShotRow(ExperimentSpec spec) => $"{spec.Model.Base} (no training)";
}
