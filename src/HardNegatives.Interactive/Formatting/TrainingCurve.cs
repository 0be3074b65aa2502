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
