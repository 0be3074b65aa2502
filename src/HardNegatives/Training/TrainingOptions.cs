namespace HardNegatives.Training;

/// <summary>Which loss the trainer minimises.</summary>
public enum LossKind
{
    /// <summary><see cref="MultipleNegativesRankingLoss"/> (InfoNCE with in-batch and hard negatives), the paper's loss.</summary>
    Mnrl,
    /// <summary><see cref="MultipleNegativesRankingLoss"/> computed with <see cref="GradCacheObjective"/>: same gradients, mini-batch memory.</summary>
    CachedMnrl,
    /// <summary><see cref="TripletMarginLoss"/>.</summary>
    Triplet,
}

/// <summary>
/// Everything that decides a training run. Defaults follow sentence-transformers / the Hugging Face Trainer where they
/// have one (AdamW, weight decay 0.01 without biases and layer norms, linear warm-up and decay, clipping at norm 1).
/// </summary>
/// <param name="Epochs">Passes over the triples (default 1).</param>
/// <param name="BatchSize">Rows per batch; each row brings its query, positive and <paramref name="HardNegatives"/> negatives (default 32).</param>
/// <param name="LearningRate">Peak learning rate (default 2e-5, the usual DistilBERT fine-tuning rate).</param>
/// <param name="WarmupRatio">Fraction of optimizer steps spent warming up linearly from 0 (default 0.1).</param>
/// <param name="WeightDecay">AdamW decoupled weight decay (default 0.01).</param>
/// <param name="MaxGradNorm">Global L2 norm the gradients are clipped to before each step; 0 turns clipping off (default 1.0).</param>
/// <param name="GradientAccumulation">Batches whose gradients are summed (each loss divided by this) before one optimizer step (default 1).</param>
/// <param name="HardNegatives">Hard negatives used per row: the first K of each triple's list; rows with fewer are skipped and counted (default 1).</param>
/// <param name="Loss">The loss (default MNRL).</param>
/// <param name="Scale">MNRL's score scale, 1/temperature (default 20).</param>
/// <param name="Similarity">MNRL's similarity (default cosine).</param>
/// <param name="TripletMargin">Margin of the triplet loss (default 5, sentence-transformers' default with Euclidean distance).</param>
/// <param name="MiniBatchSize">Mini-batch of the cached (GradCache) loss (default 32).</param>
/// <param name="Seed">Fixes initialisation (for models built from scratch), dropout and batch order (default 42).</param>
/// <param name="CheckpointEvery">Optimizer steps between checkpoints; 0 writes none (default 500).</param>
/// <param name="DropLast">Drop an epoch's last, incomplete batch (default false, as sentence-transformers).</param>
/// <param name="Resume">Continue from the newest checkpoint in the output folder when there is one (default true).</param>
/// <param name="MaxSteps">When positive, train exactly this many optimizer steps (as many epochs as needed) and decay the
/// learning rate over them, overriding <paramref name="Epochs"/> as the Hugging Face Trainer's <c>max_steps</c> (default 0: off).</param>
public sealed record TrainingOptions(
    int Epochs = 1,
    int BatchSize = 32,
    double LearningRate = 2e-5,
    double WarmupRatio = 0.1,
    double WeightDecay = 0.01,
    double MaxGradNorm = 1.0,
    int GradientAccumulation = 1,
    int HardNegatives = 1,
    LossKind Loss = LossKind.Mnrl,
    double Scale = 20.0,
    SimilarityFunction Similarity = SimilarityFunction.Cosine,
    double TripletMargin = 5.0,
    int MiniBatchSize = 32,
    long Seed = 42,
    int CheckpointEvery = 500,
    bool DropLast = false,
    bool Resume = true,
    int MaxSteps = 0)
{
    /// <summary>Checks ranges; throws <see cref="OptionsValidationException"/> naming the property (<c>TrainingOptions.Epochs</c>) and a valid value.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(Epochs)}", $"must be at least 1 (got {Epochs})");
        if (BatchSize < 1) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(BatchSize)}", $"must be at least 1 (got {BatchSize})");
        if (!(LearningRate > 0)) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(LearningRate)}", $"must be positive (got {LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        if (WarmupRatio is < 0 or > 1) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(WarmupRatio)}", $"is a fraction of the steps in [0, 1] (got {WarmupRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        if (GradientAccumulation < 1) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(GradientAccumulation)}", $"must be at least 1 (got {GradientAccumulation})");
        if (HardNegatives < 0) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(HardNegatives)}", $"cannot be negative (got {HardNegatives})");
        if (Loss == LossKind.Triplet && HardNegatives < 1) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(HardNegatives)}", "must be 1 or more for the triplet loss");
        if (MiniBatchSize < 1) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(MiniBatchSize)}", $"must be at least 1 (got {MiniBatchSize})");
        if (MaxSteps < 0) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(MaxSteps)}", $"cannot be negative (got {MaxSteps})");
        if (CheckpointEvery < 0) throw new OptionsValidationException($"{nameof(TrainingOptions)}.{nameof(CheckpointEvery)}", $"cannot be negative (got {CheckpointEvery})");
    }

    /// <summary>The objective these options describe.</summary>
    public ITrainingObjective CreateObjective() => Loss switch
    {
        LossKind.Mnrl => new DirectObjective(new MultipleNegativesRankingLoss(Scale, Similarity)),
        LossKind.CachedMnrl => new GradCacheObjective(new MultipleNegativesRankingLoss(Scale, Similarity), MiniBatchSize),
        LossKind.Triplet => new DirectObjective(new TripletMarginLoss(TripletMargin)),
        _ => throw new ArgumentOutOfRangeException(nameof(Loss)),
    };

    /// <summary>Parses the CLI spelling of a loss: <c>mnrl</c>, <c>cached-mnrl</c>, <c>triplet</c>.</summary>
    public static LossKind ParseLoss(string text) => text.ToLowerInvariant() switch
    {
        "mnrl" or "infonce" => LossKind.Mnrl,
        "cached-mnrl" or "cmnrl" or "gradcache" => LossKind.CachedMnrl,
        "triplet" => LossKind.Triplet,
        _ => throw new ArgumentException($"unknown loss '{text}'; use mnrl, cached-mnrl or triplet"),
    };
}
