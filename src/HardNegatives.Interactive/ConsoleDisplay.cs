using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive;

/// <summary>
/// <c>display(...)</c> for programs without a notebook (the file-based apps that <c>hn notebook export</c> writes):
/// prints the plain-text form of a value to stdout and each later update (e.g. live progress) as a line to stderr.
/// </summary>
public static class ConsoleDisplay
{
    static readonly HashSet<string> Shown = [];
    static readonly Lock Gate = new();
    static IDisposable? subscription;

    public static DisplayedValue Show(object? value)
    {
        KitFormatters.Register();
        lock (Gate) subscription ??= Formatter.SubscribeToDisplayedValues(OnUpdate);
        var shown = new DisplayedValue(value, FormattedValue.CreateManyFromObject(value, PlainTextFormatter.MimeType));
        lock (Gate) Shown.Add(shown.DisplayId);
        Console.WriteLine(shown.FormattedValues[0].Value);
        return shown;
    }

    static void OnUpdate(DisplayedValue value)
    {
        bool ours;
        lock (Gate) ours = value.IsUpdated && Shown.Contains(value.DisplayId);
        if (ours && value.FormattedValues.FirstOrDefault(f => f.MimeType == PlainTextFormatter.MimeType) is { } text) Console.Error.WriteLine(text.Value);
    }
}
