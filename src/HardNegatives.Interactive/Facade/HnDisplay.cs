using HardNegatives.Interactive.Progress;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive.Facade;

/// <summary>
/// How the facade shows live progress in the cell that called it. The kernel extension sets <see cref="Show"/> to the
/// kernel's <c>display</c>; elsewhere (tests, scripts) it stays null and the facade's steps run without a live display.
/// </summary>
public static class HnDisplay
{
    /// <summary>Displays a value in the running cell and returns the handle that updates it in place.</summary>
    public static Func<object, DisplayedValue?>? Show { get; set; }

    /// <summary>A live progress display for <paramref name="label"/>, or null when no kernel is attached.</summary>
    public static LiveProgress<T>? Progress<T>(string label, Func<T, (long Done, long? Total, string? Detail)> describe) =>
        Show?.Invoke(ProgressView.Waiting(label)) is { } shown ? new LiveProgress<T>(shown, label, describe) : null;
}
