using System.Globalization;

namespace HardNegatives.Interactive.Runner;

/// <summary>Converts a <c>--param name=value</c> text to the type of the variable the parameters cell declared.</summary>
static class ParameterValue
{
    public static object Convert(string name, string text, Type target)
    {
        try
        {
            if (target == typeof(string)) return text;
            if (target.IsEnum) return Enum.Parse(target, text, ignoreCase: true);
            var underlying = Nullable.GetUnderlyingType(target) ?? target;
            return System.Convert.ChangeType(text, underlying, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new ArgumentException($"parameter '{name}': '{text}' is not a valid {target.Name} (the parameters cell declares it as {target.Name})");
        }
    }

    /// <summary>Splits <c>name=value</c>.</summary>
    public static KeyValuePair<string, string> Parse(string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"--param '{assignment}': expected name=value, e.g. --param mode=full");
        return new(assignment[..eq].Trim(), assignment[(eq + 1)..]);
    }
}
