namespace HardNegatives.Interactive.Magics;

/// <summary>How every magic hands its result on: shown in the cell, then kept in a variable for the next cell.</summary>
public static class MagicResults
{
    /// <summary>Displays <paramref name="value"/> (unless <paramref name="display"/> is false) and defines variable <paramref name="name"/>.</summary>
    public static async Task ShowAndKeepAsync(this IMagicHost host, string name, object value, bool display = true)
    {
        if (display) host.Display(value);
        try { await host.SetVariableAsync(name, value, value.GetType()); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.DisplayText($"note: the result was not kept in '{name}': {e.Message}");
        }
    }

    /// <summary>
    /// The value of variable <paramref name="name"/> as a <typeparamref name="T"/>, for an option (<paramref name="option"/>)
    /// that takes a variable or a path: the error says which it was not.
    /// </summary>
    public static async Task<T> VariableAsync<T>(this IMagicHost host, string name, string option, string what) where T : class
    {
        var (found, value) = await host.TryGetVariableAsync(name);
        if (!found) throw new ArgumentException($"{option} {name}: no such file or folder, and no variable '{name}' in the {host.KernelName} kernel");
        return value as T ?? throw new ArgumentException($"{option} {name}: the variable holds {value?.GetType().Name ?? "null"}, not {what}");
    }
}
