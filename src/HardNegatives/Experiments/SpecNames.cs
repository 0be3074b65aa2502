using System.Text.Json;
using System.Text.RegularExpressions;

namespace HardNegatives.Experiments;

/// <summary>
/// What a spec may call things. The experiment name becomes a folder (<c>results/&lt;name&gt;</c>), so it is one plain
/// path segment; a source name is a row label in every report, so it is one printable line (reports escape it).
/// </summary>
public static partial class SpecNames
{
    /// <summary>Longest name accepted.</summary>
    public const int MaxLength = 100;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex FolderName();

    /// <summary>Letters, digits and <c>. _ + -</c>, starting with a letter or digit: never a path, never outside the report folder.</summary>
    public static bool IsFolderName(string name) => name.Length <= MaxLength && FolderName().IsMatch(name);

    public static string FolderNameProblem(string name) =>
        $"{JsonSerializer.Serialize(name)} cannot name a folder: use letters, digits and . _ + - (starting with a letter or digit, " +
        $"at most {MaxLength} characters), e.g. \"scifact-quick\"; the report goes to results/<name> or --output";

    /// <summary>Printable, one line, at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsLabel(string name) =>
        name.Length <= MaxLength && name.Trim().Length > 0 && !name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator);

    public static string LabelProblem(string name) =>
        $"{JsonSerializer.Serialize(name[..Math.Min(name.Length, 40)])}{(name.Length > 40 ? "…" : "")} is not a row label: " +
        $"use one printable line of at most {MaxLength} characters, e.g. \"Qwen3-14B\"";
}
