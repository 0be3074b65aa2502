using System.Globalization;

namespace HardNegatives.Interactive.Magics;

/// <summary>
/// The arguments of one magic line, <c>#!hn-mine bm25 --dataset scifact --num-negatives 1</c>: options by name (without
/// the dashes) and the value of the magic's implicit first argument. Every error names the magic and the option.
/// </summary>
public sealed class MagicArguments
{
    readonly Dictionary<string, string> values;

    public MagicArguments(string magic, IReadOnlyDictionary<string, string> values)
    {
        Magic = magic;
        this.values = new Dictionary<string, string>(values, StringComparer.Ordinal);
    }

    /// <summary>The magic's name, e.g. <c>#!hn-mine</c>.</summary>
    public string Magic { get; }

    /// <summary>The option's value, or null when the line does not give it.</summary>
    public string? String(string option) => values.TryGetValue(option, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The option's value; an error saying which option the magic needs when it is missing.</summary>
    public string Required(string option, string? example = null) =>
        String(option) ?? throw new ArgumentException($"{Magic} needs --{option}" + (example is null ? "" : $" ({example})"));

    /// <summary>The option as a whole number, or null when absent; an error naming the option and the value otherwise.</summary>
    public int? Int(string option) =>
        String(option) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new ArgumentException($"{Magic} --{option} {text}: not a whole number");

    /// <summary>A comma-separated option as a list (empty when absent).</summary>
    public string[] List(string option) =>
        String(option)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
