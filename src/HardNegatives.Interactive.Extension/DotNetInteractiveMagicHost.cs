using HardNegatives.Interactive.Magics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive.Extension;

/// <summary>The running cell of a .NET Interactive language kernel, as the shared magics see it.</summary>
sealed class DotNetInteractiveMagicHost(Kernel kernel, KernelInvocationContext context) : IMagicHost
{
    public string KernelName => kernel.Name;
    public CancellationToken CancellationToken => context.CancellationToken;
    public void Display(object value) => context.Display(value);
    public void DisplayText(string text) => context.DisplayAs(text, PlainTextFormatter.MimeType);

    public async Task<(bool Found, object? Value)> TryGetVariableAsync(string name)
    {
        var result = await kernel.SendAsync(new RequestValue(name, PlainTextFormatter.MimeType, kernel.Name));
        return result.Events.OfType<ValueProduced>().FirstOrDefault() is { } produced ? (true, produced.Value) : (false, null);
    }

    /// <summary>Declares the variable in the cell's kernel (C# or F#) with <see cref="SendValue"/>.</summary>
    public async Task SetVariableAsync(string name, object value, Type type)
    {
        var formatted = new FormattedValue(PlainTextFormatter.MimeType, value.ToDisplayString(PlainTextFormatter.MimeType));
        var result = await kernel.SendAsync(new SendValue(name, value, formatted, kernel.Name));
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed) throw new InvalidOperationException(failed.Message);
    }
}
