using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HardNegatives.Interactive.Formatting;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// Makes an executed notebook fit to commit: nbformat 4.5 with a cell id on every cell; <c>language_info</c> that front ends
/// highlight (<c>csharp</c>, <c>fsharp</c>); and deterministic outputs: no kernel bootstrap script (it names the kernel's
/// ports), no "Loading extensions from `~/.nuget/packages/…`" notices (they name the machine's NuGet cache and tell a reader
/// nothing), no execution timings or elapsed times, machine paths written as <c>~</c>, <c>$HN_HOME</c> or the repository-relative form, and
/// plotly.js referenced instead of embedded (the 3.5 MB library would make every notebook with a chart about 3.7 MB;
/// a live kernel session still embeds it once, and <see cref="NotebookHtmlPage"/> embeds it again for offline pages).
/// </summary>
public static partial class NotebookHygiene
{
    /// <summary>What the given kernelspec's notebooks declare as <c>metadata.language_info</c>.</summary>
    public static JsonObject LanguageInfo(bool fsharp) => fsharp
        ? new JsonObject { ["name"] = "fsharp", ["file_extension"] = ".fs", ["mimetype"] = "text/x-fsharp", ["pygments_lexer"] = "fsharp" }
        : new JsonObject { ["name"] = "csharp", ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp", ["pygments_lexer"] = "csharp" };

    /// <summary>Cleans <paramref name="notebook"/> in place. <paramref name="paths"/>: machine paths to rewrite, longest first wins.</summary>
    public static void Apply(JsonObject notebook, IReadOnlyList<(string Path, string Replacement)>? paths = null)
    {
        paths ??= DefaultPaths();
        notebook["nbformat"] = 4;
        notebook["nbformat_minor"] = 5;
        var metadata = notebook["metadata"] as JsonObject ?? (JsonObject)(notebook["metadata"] = new JsonObject());
        bool fsharp = metadata["kernelspec"]?["name"]?.GetValue<string>()?.Contains("fsharp") == true;
        metadata["language_info"] = LanguageInfo(fsharp);
        var cells = notebook["cells"] as JsonArray ?? [];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell) continue;
            var id = cell["id"]?.GetValue<string>();
            if (string.IsNullOrEmpty(id) || !ids.Add(id))
            {
                id = StableId(i, cell);
                ids.Add(id);
                cell["id"] = id;
            }
            (cell["metadata"] as JsonObject)?.Remove("execution");
            if (cell["outputs"] is not JsonArray outputs) continue;
            for (int o = outputs.Count - 1; o >= 0; o--)
            {
                if (outputs[o] is not JsonObject output) continue;
                if (IsKernelBootstrap(output) || IsExtensionLoadNotice(output)) { outputs.RemoveAt(o); continue; }
                (output["metadata"] as JsonObject)?.Remove("transient");
                Rewrite(output, text => Clean(text, paths));
            }
        }
    }

    /// <summary>Cleans one output string: paths, and the embedded plotly.js swapped for a reference.</summary>
    public static string Clean(string text, IReadOnlyList<(string Path, string Replacement)> paths)
    {
        if (text.Contains(PlotlyHtml.LibraryMarker, StringComparison.Ordinal))
            text = EmbeddedPlotly().Replace(text, m => ReferencedLibrary(m.Groups["v"].Value));
        // A finished progress display keeps its elapsed time (wall clock): not in committed outputs.
        text = FinishedElapsed().Replace(text, " done");
        // A loopback stand-in server's port and measured latencies differ from run to run.
        text = LoopbackPort().Replace(text, "http://127.0.0.1:PORT");
        text = Latency().Replace(text, "latency_ms=…");
        foreach (var (path, replacement) in paths.OrderByDescending(p => p.Path.Length))
            if (path.Length > 1) text = text.Replace(path, replacement, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The script element that stands for plotly.js <paramref name="version"/> in a committed notebook.</summary>
    public static string ReferencedLibrary(string version) =>
        $"<script type=\"text/javascript\" {PlotlyHtml.LibraryMarker}=\"{version}\" src=\"https://cdn.plot.ly/plotly-{version}.min.js\"></script>";

    [GeneratedRegex("<script type=\"text/javascript\" data-hn-plotly=\"(?<v>[0-9.]+)\">.*?</script>", RegexOptions.Singleline)]
    internal static partial Regex EmbeddedPlotly();

    [GeneratedRegex("http://127\\.0\\.0\\.1:[0-9]{2,5}")]
    internal static partial Regex LoopbackPort();

    [GeneratedRegex("latency_ms=[0-9]+(?:\\.[0-9]+)?")]
    internal static partial Regex Latency();

    [GeneratedRegex(" [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})? done")]
    internal static partial Regex FinishedElapsed();

    [GeneratedRegex("<script type=\"text/javascript\" data-hn-plotly=\"(?<v>[0-9.]+)\" src=\"[^\"]*\"></script>")]
    internal static partial Regex ReferencedPlotly();

    /// <summary>The machine paths a committed output must not show: the repository, <c>$HN_HOME</c>, the temp folder, home.</summary>
    public static IReadOnlyList<(string Path, string Replacement)> DefaultPaths(string? repositoryRoot = null)
    {
        var list = new List<(string, string)>();
        if (repositoryRoot is not null) list.Add((Path.GetFullPath(repositoryRoot).TrimEnd('/') + "/", ""));
        list.Add((HardNegatives.Data.KitPaths.Home.TrimEnd('/'), "$HN_HOME"));
        list.Add((Path.GetTempPath().TrimEnd('/'), "$TMPDIR"));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 1) list.Add((home.TrimEnd('/'), "~"));
        return list;
    }

    // .NET Interactive's first output in a Jupyter session is a script that finds the kernel's HTTP ports (machine-specific).
    static bool IsKernelBootstrap(JsonObject output) =>
        output["data"]?["text/html"] is { } html && Text(html).Contains("dotnet-interactive-this-cell", StringComparison.Ordinal);

    // `#r "nuget: …"` prints one plain-text line per package extension it loads, naming the machine's NuGet cache.
    static bool IsExtensionLoadNotice(JsonObject output) =>
        output["output_type"]?.GetValue<string>() == "display_data" && output["data"] is JsonObject data && data.Count == 1
        && data["text/plain"] is { } text && Text(text).StartsWith(ExtensionLoadNotice, StringComparison.Ordinal);

    /// <summary>How .NET Interactive's notice for a loaded package extension begins.</summary>
    public const string ExtensionLoadNotice = "Loading extensions from ";

    static void Rewrite(JsonObject output, Func<string, string> clean)
    {
        if (output["text"] is { } stream) output["text"] = clean(Text(stream));
        if (output["evalue"] is { } evalue) output["evalue"] = clean(Text(evalue));
        if (output["data"] is JsonObject data)
            foreach (var key in data.Select(p => p.Key).ToList())
                if (key.StartsWith("text/", StringComparison.Ordinal) || key == "application/javascript")
                    data[key] = clean(Text(data[key]));
    }

    static string StableId(int index, JsonObject cell)
    {
        var source = Text(cell["source"]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..8];
        return $"cell-{index:00}-{hash}";
    }

    internal static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };
}
