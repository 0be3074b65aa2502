using HardNegatives.Interactive.Facade;

namespace HardNegatives.Interactive.Progress;

/// <summary>Starts a live progress display in the running cell (or on the console outside a kernel).</summary>
public static class LiveProgress
{
    /// <summary>
    /// A live progress display for <paramref name="label"/>: through the kernel extension's display (its updates reach every
    /// front end, from any thread), else <see cref="ConsoleDisplay"/>.
    /// </summary>
    /// <example><code>var live = LiveProgress.Show&lt;TrainingProgress&gt;("training", p => (p.Step, p.TotalSteps, null));</code></example>
    public static LiveProgress<T> Show<T>(string label, Func<T, (long Done, long? Total, string? Detail)> describe) =>
        new(HnDisplay.Show?.Invoke(ProgressView.Waiting(label)) ?? ConsoleDisplay.Show(ProgressView.Waiting(label)), label, describe);
}
