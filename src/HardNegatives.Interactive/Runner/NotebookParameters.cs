namespace HardNegatives.Interactive.Runner;

/// <summary>Parameter overrides for exported file-based apps: <c>dotnet run nb.cs -- mode=full</c> sets <c>mode</c>.</summary>
public static class NotebookParameters
{
    /// <summary>Splits a command-line <c>name=value</c> (as <c>--param</c> takes it).</summary>
    public static KeyValuePair<string, string> Parse(string assignment) => ParameterValue.Parse(assignment);

    /// <summary>The value of <c>name=value</c> in <paramref name="args"/>, converted to <typeparamref name="T"/>; else <paramref name="current"/>.</summary>
    public static T Override<T>(string[] args, string name, T current)
    {
        foreach (var arg in args)
        {
            var (key, text) = ParameterValue.Parse(arg.StartsWith("--param=", StringComparison.Ordinal) ? arg["--param=".Length..] : arg);
            if (key == name) return (T)ParameterValue.Convert(name, text, typeof(T));
        }
        return current;
    }
}
