namespace HardNegatives.Training;

/// <summary>
/// Linear warm-up from 0 to the peak learning rate, then linear decay to 0 at the last step: Hugging Face's
/// <c>get_linear_schedule_with_warmup</c> (sentence-transformers' <c>WarmupLinear</c>).
/// </summary>
/// <remarks>The rate used by optimizer step s (0-based) is <c>peak · s / warmup</c> while s &lt; warmup, else
/// <c>peak · max(0, (total − s) / (total − warmup))</c>. As in the reference, the very first step has rate 0 when warm-up is on.
/// A pure function of the step, so resuming needs only the step number.</remarks>
public sealed record LinearWarmupSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps)
{
    public double At(int step)
    {
        if (step < WarmupSteps) return PeakLearningRate * step / Math.Max(1, WarmupSteps);
        return PeakLearningRate * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
