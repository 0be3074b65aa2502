using HardNegatives.Interactive;
using HardNegatives.Kernel.Execution;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>What every C# cell sees as globals: <c>display(x)</c>, as in .NET Interactive.</summary>
public sealed class CSharpScriptGlobals
{
    /// <summary>Shows <paramref name="value"/> in the running cell with the kit's formatters; <see cref="DisplayedValue.Update"/> updates it in place.</summary>
#pragma warning disable IDE1006 // lower case on purpose: the name notebooks already use
    public DisplayedValue display(object? value) => CellContext.Current?.Display(value) ?? ConsoleDisplay.Show(value);
#pragma warning restore IDE1006
}
