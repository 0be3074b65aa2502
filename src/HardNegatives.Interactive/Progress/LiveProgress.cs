using System.Diagnostics;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive.Progress;

/// <summary>
/// Adapts a library step's <see cref="IProgress{T}"/> reports to a live notebook display: each report becomes a
/// <see cref="ProgressView"/> and updates one displayed value in place (at most every <c>minInterval</c>, always on the last unit).
/// In .NET Interactive pass the <see cref="DisplayedValue"/> that <c>display(...)</c> returned; the headless runner's
/// <c>display</c> returns one too and writes the latest state into the cell's output (and a line to stderr).
/// </summary>
/// <example><code>
/// var progress = new LiveProgress&lt;MiningProgress&gt;(display(ProgressView.Waiting("BM25 mining")), "BM25 mining", p => (p.Done, p.Total, null));
/// await miner.MineAsync(..., progress);
/// progress.Complete();
/// </code></example>
public sealed class LiveProgress<T> : IProgress<T>
{
    readonly DisplayedValue display;
    readonly string label;
    readonly Func<T, (long Done, long? Total, string? Detail)> describe;
    readonly TimeSpan minInterval;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly Lock gate = new();
    TimeSpan? lastUpdate;

    public LiveProgress(DisplayedValue display, string label, Func<T, (long Done, long? Total, string? Detail)> describe, TimeSpan? minInterval = null)
    {
        this.display = display;
        this.label = label;
        this.describe = describe;
        this.minInterval = minInterval ?? TimeSpan.FromMilliseconds(250);
        Current = new ProgressView(label, 0, null, null, TimeSpan.Zero);
    }

    /// <summary>The most recent state, whether or not it was shown yet.</summary>
    public ProgressView Current { get; private set; }

    public void Report(T value)
    {
        var (done, total, detail) = describe(value);
        lock (gate)
        {
            var now = clock.Elapsed;
            bool last = total is { } t && done >= t;
            Current = new ProgressView(label, done, total, detail, now, last);
            if (!last && lastUpdate is { } shown && now - shown < minInterval) return;
            lastUpdate = now;
            display.Update(Current);
        }
    }

    /// <summary>Marks the step finished and shows the final state.</summary>
    public void Complete()
    {
        lock (gate)
        {
            Current = Current with { Elapsed = clock.Elapsed, Finished = true };
            display.Update(Current);
        }
    }
}
