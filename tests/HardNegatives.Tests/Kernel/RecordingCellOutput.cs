using HardNegatives.Kernel.Engine;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Tests.Kernel;

/// <summary>An <see cref="ICellOutput"/> that keeps what a cell wrote and displayed, for engine and magic tests.</summary>
sealed class RecordingCellOutput : ICellOutput
{
    readonly Lock gate = new();
    readonly System.Text.StringBuilder stdout = new(), stderr = new();
    readonly List<object?> displayed = [];

    public string Stdout { get { lock (gate) return stdout.ToString(); } }
    public string Stderr { get { lock (gate) return stderr.ToString(); } }
    public IReadOnlyList<object?> Displayed { get { lock (gate) return displayed.ToList(); } }

    public void WriteStdout(string text) { lock (gate) stdout.Append(text); }
    public void WriteStderr(string text) { lock (gate) stderr.Append(text); }

    public DisplayedValue Display(object? value)
    {
        lock (gate) displayed.Add(value);
        return new DisplayedValue(value, FormattedValue.CreateManyFromObject(value, PlainTextFormatter.MimeType));
    }

    public string? ReadLine(string prompt, bool password) => null;
}
