namespace HardNegatives.Interactive.Magics;

/// <summary>
/// What a <c>#!hn-…</c> magic needs from the kernel running it: show values in the cell, read and define the cell
/// language's variables, and the cell's cancellation. The .NET Interactive extension and the kit's own Jupyter kernels
/// each implement it once; the magics themselves (<see cref="HnMagicCatalog"/>) are one implementation for both.
/// </summary>
public interface IMagicHost
{
    /// <summary>The cell's language kernel (<c>csharp</c>, <c>fsharp</c>), for messages.</summary>
    string KernelName { get; }

    /// <summary>Cancelled when the user interrupts the cell.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>Shows <paramref name="value"/> in the running cell with the kit's formatters.</summary>
    void Display(object value);

    /// <summary>Shows one line of plain text in the running cell.</summary>
    void DisplayText(string text);

    /// <summary>The variable <paramref name="name"/> of the cell's language; <c>Found</c> is false when there is none.</summary>
    Task<(bool Found, object? Value)> TryGetVariableAsync(string name);

    /// <summary>Defines (or replaces) variable <paramref name="name"/> for later cells; throws when the kernel refuses.</summary>
    Task SetVariableAsync(string name, object value, Type type);
}
