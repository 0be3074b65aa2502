using System.Globalization;

namespace HardNegatives.Cli;

/// <summary>
/// Progress for a log instead of a terminal (CI, <c>hn … | tee</c>, a file): one plain line when a stage starts, then one
/// each time it passes another <see cref="Step"/> percent (and at 100%); a stage with no known total gets a line every
/// <see cref="Interval"/>. Lines go to stderr, so stdout stays the command's result.
/// </summary>
public sealed class PlainProgressLines(string title, TextWriter? writer = null, TimeProvider? time = null)
{
    /// <summary>Percent between two lines of a stage with a known total (10).</summary>
    public const int Step = 10;

    /// <summary>Time between two lines of a stage whose total is unknown (30 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    readonly TextWriter _writer = writer ?? Console.Error;
    readonly TimeProvider _time = time ?? TimeProvider.System;
    readonly object _gate = new();
    (string Stage, long? Total)? _current;
    long _lastBucket = -1;
    long _lastLine;

    /// <param name="stage">What is being done now (a new stage starts a new count).</param>
    /// <param name="detail">Extra text for the line (loss, rate), never part of what decides whether to print.</param>
    public void Report(string stage, long done, long? total, string? detail = null)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var started = _current != (stage, total);
            bool print;
            if (started)
            {
                _current = (stage, total);
                _lastBucket = -1;
                print = true;
            }
            else if (total is > 0)
                print = Math.Min(100, done * 100 / total.Value) / Step > _lastBucket;
            else
                print = _time.GetElapsedTime(_lastLine, now) >= Interval;
            if (total is > 0) _lastBucket = Math.Max(_lastBucket, Math.Min(100, done * 100 / total.Value) / Step);
            if (!print) return;
            _lastLine = now;
            var count = total is > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{done:N0}/{total:N0} ({Math.Min(100, done * 100 / total.Value)}%)")
                : string.Create(CultureInfo.InvariantCulture, $"{done:N0}");
            _writer.WriteLine($"{title}: {stage} {count}{(detail is null ? "" : " " + detail)}");
        }
    }

    /// <summary>True when progress should be printed as lines: stdout or stderr is not a terminal.</summary>
    public static bool Wanted => Console.IsErrorRedirected || Console.IsOutputRedirected;
}
