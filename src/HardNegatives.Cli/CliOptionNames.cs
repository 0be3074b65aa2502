namespace HardNegatives.Cli;

/// <summary>
/// The CLI's words for library properties: a library validation error (<see cref="OptionsValidationException"/>) names
/// <c>TrainingOptions.Epochs</c>; the CLI user typed <c>--epochs</c>, so that is what the error should say.
/// </summary>
static class CliOptionNames
{
    static readonly Dictionary<string, string> ByProperty = new(StringComparer.Ordinal)
    {
        ["TrainingOptions.Epochs"] = "--epochs",
        ["TrainingOptions.BatchSize"] = "--batch-size",
        ["TrainingOptions.LearningRate"] = "--lr",
        ["TrainingOptions.WarmupRatio"] = "--warmup",
        ["TrainingOptions.GradientAccumulation"] = "--accumulate",
        ["TrainingOptions.HardNegatives"] = "--hard-negatives",
        ["TrainingOptions.MiniBatchSize"] = "--mini-batch-size",
        ["TrainingOptions.MaxSteps"] = "--max-steps",
        ["TrainingOptions.CheckpointEvery"] = "--checkpoint-every",
        ["GenerationOptions.Model"] = "--model",
        ["GenerationOptions.NumNegatives"] = "--num-negatives",
        ["GenerationOptions.Concurrency"] = "--concurrency",
        ["GenerationOptions.MaxAttempts"] = "--max-attempts",
        ["GenerationOptions.CachePath"] = "--cache",
        ["CrossEncoderMiningOptions.Candidates"] = "--candidates",
        ["CrossEncoderMiningOptions.BatchSize"] = "--batch-size",
        ["HardNegativeMiningOptions.NumNegatives"] = "--num-negatives",
        ["HardNegativeMiningOptions.RangeMin"] = "--range",
        ["HardNegativeMiningOptions.AbsoluteMargin"] = "--absolute-margin",
        ["HardNegativeMiningOptions.RelativeMargin"] = "--relative-margin",
    };

    /// <summary>The error in the CLI's words: <c>--epochs must be at least 1 (got 0)</c>; the property name when the CLI has no option for it.</summary>
    public static string Describe(OptionsValidationException e) =>
        ByProperty.TryGetValue(e.Property, out var option) ? $"{option} {e.Problem}" : e.Message;
}
