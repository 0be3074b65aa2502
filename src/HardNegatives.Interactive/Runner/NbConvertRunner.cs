using System.Diagnostics;
using System.Text.Json.Nodes;
using HardNegatives.Data;

namespace HardNegatives.Interactive.Runner;

/// <summary>How to execute a notebook in the real .NET Interactive kernel.</summary>
/// <param name="Mode">The notebook's mode (<c>mini</c> or <c>full</c>), passed as <c>HN_NOTEBOOK_MODE</c> to its parameters cell.</param>
/// <param name="Output">Where to write the executed notebook (default: back into the input file).</param>
/// <param name="CellTimeout">Longest a single cell may run.</param>
/// <param name="Jupyter">The Jupyter command (Debian's <c>/usr/bin/jupyter</c> where present: its Python has nbconvert).</param>
/// <param name="KernelName">Run in this kernelspec instead of the notebook's own (e.g. the kit's <c>hardnegatives-csharp</c>).</param>
/// <param name="Environment">Extra environment for Jupyter and the kernel (e.g. <c>JUPYTER_PATH</c> to find that kernelspec).</param>
public sealed record NbConvertOptions(string Mode = "mini", string? Output = null, TimeSpan? CellTimeout = null, string? Jupyter = null,
    string? KernelName = null, IReadOnlyDictionary<string, string>? Environment = null);

/// <summary>An executed notebook: where it was written and how long the kernel took.</summary>
public sealed record NbConvertResult(string OutputPath, string KernelName, TimeSpan Elapsed);

/// <summary>
/// Executes a notebook the way CI and a person do: <c>jupyter nbconvert --to notebook --execute</c> with the .NET
/// Interactive kernelspec the notebook names (<c>.net-csharp</c>, <c>.net-fsharp</c>), from the notebook's folder, then
/// applies <see cref="NotebookHygiene"/>. This is the kit's only notebook engine (<c>hn notebook run</c> calls it).
/// Needs <c>notebooks/setup</c> to have run (kernel tool, local feed, kernelspecs).
/// </summary>
public static class NbConvertRunner
{
    /// <summary>The Jupyter command to use: <c>/usr/bin/jupyter</c> where it exists, else <c>jupyter</c> on PATH, else null.</summary>
    public static string? FindJupyter()
    {
        if (File.Exists("/usr/bin/jupyter")) return "/usr/bin/jupyter";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "jupyter"))) return Path.Combine(dir, "jupyter");
        return null;
    }

    /// <summary>The kernelspec a notebook asks for (<c>metadata.kernelspec.name</c>; <c>.net-csharp</c> when it names none).</summary>
    public static string KernelNameOf(string notebookPath) =>
        (JsonNode.Parse(File.ReadAllText(notebookPath))?["metadata"]?["kernelspec"]?["name"]?.GetValue<string>()) is { Length: > 0 } name ? name : ".net-csharp";

    public static async Task<NbConvertResult> RunAsync(string notebookPath, NbConvertOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NbConvertOptions();
        var input = Path.GetFullPath(notebookPath);
        if (!File.Exists(input)) throw new FileNotFoundException($"notebook not found: {notebookPath}", notebookPath);
        var jupyter = options.Jupyter ?? FindJupyter()
            ?? throw new InvalidOperationException("jupyter not found: install Debian's jupyter-nbconvert, python3-nbclient and jupyter-client, then run notebooks/setup");
        var output = Path.GetFullPath(options.Output ?? input);
        var kernel = options.KernelName ?? KernelNameOf(input);
        var scratch = Path.Combine(Path.GetTempPath(), "hn-nbconvert-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(scratch);
        try
        {
            var timeout = (int)(options.CellTimeout ?? TimeSpan.FromMinutes(20)).TotalSeconds;
            var start = new ProcessStartInfo(jupyter)
            {
                WorkingDirectory = Path.GetDirectoryName(input)!,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                ArgumentList =
                {
                    // --allow-errors: the executed notebook comes back even when a cell fails, so the failure can be
                    // reported with the cell's own diagnostics (compiler errors arrive as stderr stream outputs).
                    "nbconvert", "--to", "notebook", "--execute", "--allow-errors", $"--ExecutePreprocessor.kernel_name={kernel}",
                    $"--ExecutePreprocessor.timeout={timeout}", "--ExecutePreprocessor.startup_timeout=300",
                    "--output-dir", scratch, "--output", Path.GetFileNameWithoutExtension(input), input,
                },
            };
            start.Environment["HN_NOTEBOOK_MODE"] = options.Mode;
            start.Environment["PYDEVD_DISABLE_FILE_VALIDATION"] = "1";
            foreach (var (name, value) in options.Environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {jupyter}");
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            try { await process.WaitForExitAsync(cancellationToken); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
            var errors = await stderr;
            await stdout;
            var executed = Path.Combine(scratch, Path.GetFileName(input));
            if (process.ExitCode != 0 || !File.Exists(executed))
                throw new NotebookExecutionException(notebookPath, kernel, process.ExitCode, FailureSummary(errors));
            var notebook = (JsonObject)JsonNode.Parse(File.ReadAllText(executed))!;
            if (FirstFailure(notebook) is { } failure) throw new NotebookExecutionException(notebookPath, kernel, process.ExitCode, failure);
            NotebookHygiene.Apply(notebook, NotebookHygiene.DefaultPaths(FindRepositoryRoot(input)));
            AtomicFile.WriteAllText(output, NotebookDocument.Parse(notebook.ToJsonString()).ToJson());
            return new NbConvertResult(output, kernel, clock.Elapsed);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The first cell with an error output: its number, source, stderr and error, as a person needs to fix it.</summary>
    public static string? FirstFailure(JsonObject notebook)
    {
        var cells = notebook["cells"] as JsonArray ?? [];
        for (int i = 0; i < cells.Count; i++)
        {
            var outputs = (cells[i]?["outputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var error = outputs.FirstOrDefault(o => o["output_type"]?.GetValue<string>() == "error");
            if (error is null) continue;
            var stderr = string.Concat(outputs.Where(o => o["name"]?.GetValue<string>() == "stderr").Select(o => NotebookHygiene.Text(o["text"])));
            return $"cell {i}:\n{NotebookHygiene.Text(cells[i]!["source"]).TrimEnd()}\n---\n{stderr.Trim()}\n{error["ename"]}: {error["evalue"]}".Trim();
        }
        return null;
    }

    // nbconvert prints the failing cell and its error after "CellExecutionError"; keep that part, not the Python traceback.
    static string FailureSummary(string stderr)
    {
        var at = stderr.IndexOf("An error occurred while executing the following cell", StringComparison.Ordinal);
        var text = at >= 0 ? stderr[at..] : stderr;
        var lines = text.Split('\n').Where(l => !l.Contains("Debugger warning") && !l.Contains("frozen modules") && !l.StartsWith("0.00s", StringComparison.Ordinal)).ToList();
        return string.Join('\n', lines.TakeLast(60)).Trim();
    }

    static string? FindRepositoryRoot(string start)
    {
        for (var dir = Path.GetDirectoryName(start); dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.Exists(Path.Combine(dir, ".git")) || File.Exists(Path.Combine(dir, ".git"))) return dir;
        return null;
    }
}

/// <summary>A notebook failed in the kernel: which notebook, and nbconvert's account of the failing cell.</summary>
public sealed class NotebookExecutionException(string notebook, string kernel, int exitCode, string details)
    : InvalidOperationException($"{notebook} failed in the {kernel} kernel (nbconvert exit code {exitCode}):\n{details}")
{
    public string Notebook { get; } = notebook;
    public string Details { get; } = details;
}
