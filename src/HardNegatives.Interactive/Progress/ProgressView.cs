using System.Globalization;
using System.Text;
using HardNegatives.Interactive.Formatting;

namespace HardNegatives.Interactive.Progress;

/// <summary>What a live progress display shows at one moment.</summary>
/// <param name="Label">The step, e.g. "BM25 mining".</param>
/// <param name="Done">Units finished (queries, steps, documents).</param>
/// <param name="Total">Units in all, when known.</param>
/// <param name="Detail">A short status line (current loss, throughput…).</param>
/// <param name="Elapsed">Time since the step started.</param>
/// <param name="Finished">True once the step reported its last unit or was completed.</param>
public sealed record ProgressView(string Label, long Done, long? Total, string? Detail, TimeSpan Elapsed, bool Finished = false)
{
    /// <summary>The view to display before the first report arrives.</summary>
    public static ProgressView Waiting(string label) => new(label, 0, null, "starting", TimeSpan.Zero);

    /// <summary>Fraction done in [0, 1], or null when the total is unknown.</summary>
    public double? Fraction => Total is > 0 ? Math.Clamp((double)Done / Total.Value, 0, 1) : null;

    /// <summary>One line for consoles and the plain-text output: <c>BM25 mining  40/300 (13%) 0:05  detail</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Label).Append("  ").Append(Done.ToString(CultureInfo.InvariantCulture));
        if (Total is { } t) sb.Append('/').Append(t.ToString(CultureInfo.InvariantCulture));
        if (Fraction is { } f) sb.Append(" (").Append((f * 100).ToString("0", CultureInfo.InvariantCulture)).Append("%)");
        sb.Append(' ').Append(Elapsed.ToString(Elapsed.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture));
        if (Finished) sb.Append(" done");
        if (!string.IsNullOrEmpty(Detail)) sb.Append("  ").Append(Detail);
        return sb.ToString();
    }

    /// <summary>An HTML progress bar with the same text.</summary>
    public string ToHtml()
    {
        var bar = Fraction is { } f
            ? $"<progress max=\"1\" value=\"{f.ToString("0.###", CultureInfo.InvariantCulture)}\"></progress> "
            : "<progress></progress> ";
        return Html.Wrap($"<div class=\"hn-progress\">{bar}{Html.Encode(ToString())}</div>");
    }
}
