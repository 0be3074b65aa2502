using System.Text;
using System.Text.RegularExpressions;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// The .NET Interactive directives a kit notebook may contain, and what the headless runner does with them.
/// <list type="bullet">
/// <item><c>#r "nuget: HardNegatives"</c>, <c>#r "nuget: HardNegatives.Interactive"</c> (any version): already loaded — the
/// runner is the kit's own build — so the line is blanked.</item>
/// <item><c>#i "nuget: &lt;folder or feed&gt;"</c>: a package source for .NET Interactive; blanked.</item>
/// <item><c>#r "nuget: Other.Package"</c>: rejected with an error that names the cell and line (the runner does not download).</item>
/// <item><c>#!csharp</c>, <c>#!fsharp</c> on the first line: the cell's kernel; blanked. Other <c>#!</c> magic commands are rejected.</item>
/// </list>
/// Lines are blanked, not removed, so compiler line numbers still match the cell.
/// </summary>
public static partial class KitDirectives
{
    /// <summary>Packages the kit itself provides (matched case-insensitively).</summary>
    public static readonly IReadOnlySet<string> KitPackages = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "HardNegatives", "HardNegatives.Interactive", "Microsoft.Data.Analysis", "Plotly.NET", "Plotly.NET.CSharp",
        "Plotly.NET.Interactive", "Microsoft.DotNet.Interactive.Formatting",
    };

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*([^,"\s]+)\s*(?:,\s*([^"]*))?"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^\s*#i\s+"[^"]*"\s*$""")]
    private static partial Regex PackageSource();

    [GeneratedRegex("""^\s*#!\s*(\S+)""")]
    private static partial Regex Magic();

    /// <summary>The result of reading a cell: its kernel (from a first-line magic, else null) and the code to compile.</summary>
    public sealed record Filtered(string? Kernel, string Code, IReadOnlyList<string> Packages);

    /// <summary>Blanks the directive lines of a cell; throws <see cref="NotebookDirectiveException"/> for ones it cannot honour.</summary>
    public static Filtered Apply(string source, int cellIndex)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        string? kernel = null;
        var packages = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (NugetReference().Match(line) is { Success: true } r)
            {
                var package = r.Groups[1].Value;
                if (!KitPackages.Contains(package))
                    throw new NotebookDirectiveException(cellIndex, i + 1, line.Trim(),
                        $"package '{package}' is not part of the kit; the headless runner runs on the kit's own build and does not download packages. " +
                        $"Kit packages: {string.Join(", ", KitPackages.Order())}. Add the package to a kit project, or run the notebook in Polyglot Notebooks.");
                packages.Add(package);
                lines[i] = "";
            }
            else if (PackageSource().IsMatch(line)) lines[i] = "";
            else if (Magic().Match(line) is { Success: true } m)
            {
                var name = m.Groups[1].Value.ToLowerInvariant();
                string? k = name switch { "csharp" or "c#" or "cs" => "csharp", "fsharp" or "f#" or "fs" => "fsharp", _ => null };
                if (k is null || i != FirstNonBlank(lines))
                    throw new NotebookDirectiveException(cellIndex, i + 1, line.Trim(),
                        $"magic command '#!{m.Groups[1].Value}' is not supported by the headless runner (only #!csharp / #!fsharp on a cell's first line)");
                kernel = k;
                lines[i] = "";
            }
        }
        return new Filtered(kernel, string.Join("\n", lines), packages);
    }

    static int FirstNonBlank(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++) if (!string.IsNullOrWhiteSpace(lines[i])) return i;
        return -1;
    }
}

/// <summary>A directive in a cell that the headless runner cannot honour.</summary>
public sealed class NotebookDirectiveException(int cellIndex, int line, string text, string message)
    : InvalidOperationException($"cell {cellIndex}, line {line}: {text}: {message}")
{
    public int CellIndex { get; } = cellIndex;
    public int Line { get; } = line;
}
