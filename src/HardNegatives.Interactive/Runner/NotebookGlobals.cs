using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// What notebook code can call besides the kit's libraries, as in .NET Interactive: <c>display(value)</c> shows a value
/// in the cell's output (HTML through the kit's formatters, plus plain text) and returns a handle whose <c>Update</c>
/// replaces it in place. C# cells see the instance method; F# cells get <c>display</c> bound to <see cref="Display"/>.
/// </summary>
public class NotebookGlobals
{
#pragma warning disable IDE1006 // the name notebooks use
    /// <summary>Shows <paramref name="value"/> in the current cell's output.</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes) => Display(value, mimeTypes);
#pragma warning restore IDE1006

    /// <summary>Shows <paramref name="value"/> in the output of the cell running in this async flow.</summary>
    public static DisplayedValue Display(object? value, params string[] mimeTypes) =>
        (CellConsole.Active ?? throw new InvalidOperationException("display() was called outside a running notebook cell")).Display(value, mimeTypes);
}
