namespace HardNegatives.Training;

/// <summary>One optimizer step's report: what the progress bar shows and what the JSONL log records.</summary>
/// <param name="Step">Optimizer steps done (1-based after the first step).</param>
/// <param name="TotalSteps">Optimizer steps of the whole run.</param>
/// <param name="Epoch">0-based epoch of this step.</param>
/// <param name="Loss">Mean loss of the step's batches.</param>
/// <param name="LearningRate">Rate used by this step.</param>
/// <param name="GradNorm">Gradient L2 norm before clipping (0 when clipping is off).</param>
/// <param name="StepSeconds">Wall time of the step.</param>
/// <param name="ExamplesPerSecond">Training rows per second in this step.</param>
public sealed record TrainingProgress(int Step, int TotalSteps, int Epoch, double Loss, double LearningRate, double GradNorm, double StepSeconds, double ExamplesPerSecond);

/// <summary>What a finished run reports.</summary>
/// <param name="ResumedFromStep">The checkpoint step the run resumed from; null for a fresh run.</param>
/// <param name="SkippedRows">Triples skipped because they had fewer hard negatives than asked for.</param>
public sealed record TrainingResult(int Steps, int Epochs, int Rows, int SkippedRows, double FinalLoss, int? ResumedFromStep, TimeSpan Elapsed, string OutputDirectory);
