namespace HardNegatives.Interactive.Formatting;

/// <summary>One logged training step: the optimizer step number and the mean loss over the steps since the last point.</summary>
public sealed record CurvePoint(long Step, double Loss);

/// <summary>
/// A loss curve to show in a notebook. Build it from whatever the trainer reports through <see cref="IProgress{T}"/>
/// (e.g. <c>new TrainingCurve("bm25 negatives", points)</c>); several curves display as one chart with a legend.
/// </summary>
/// <param name="Label">The run's name in the legend.</param>
/// <param name="Points">Points in step order.</param>
public sealed record TrainingCurve(string Label, IReadOnlyList<CurvePoint> Points);

/// <summary>Builds <see cref="TrainingCurve"/>s from what the trainer reports.</summary>
public static class TrainingCurves
{
    /// <summary>A curve from the trainer's per-step reports (<see cref="HardNegatives.Training.TrainingProgress"/>).</summary>
    public static TrainingCurve From(string label, IEnumerable<HardNegatives.Training.TrainingProgress> steps) =>
        new(label, steps.Select(s => new CurvePoint(s.Step, s.Loss)).ToList());
}
