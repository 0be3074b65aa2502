using System.Diagnostics;
using System.Text.Json.Nodes;
using HardNegatives.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive.Runner;

/// <summary>Options for <see cref="NotebookRunner.RunAsync"/>.</summary>
/// <param name="Parameters">Overrides for variables of the parameters cell (the first code cell tagged <c>parameters</c>), applied right after it runs.</param>
/// <param name="OutputPath">Where the executed notebook goes; null: back into the input file.</param>
/// <param name="Log">Where cell progress and live display updates are echoed (e.g. stderr); null for silence.</param>
public sealed record NotebookRunOptions(
    IReadOnlyDictionary<string, string>? Parameters = null,
    string? OutputPath = null,
    TextWriter? Log = null);

/// <summary>What a run did: how many code cells ran, how long each took, and where the notebook was written.</summary>
public sealed record NotebookRunResult(string OutputPath, int CodeCells, IReadOnlyList<TimeSpan> CellTimes, NotebookDocument Notebook);

/// <summary>
/// Runs a Polyglot notebook headless: code cells in order (C# with Roslyn scripting, F# with F# Interactive), each
/// language keeping its state across cells; outputs written back as nbformat outputs with <c>text/html</c> (the kit's
/// formatters) and <c>text/plain</c>. The first failing cell stops the run with <see cref="NotebookCellException"/>;
/// the notebook is still written, with the error as that cell's output.
/// </summary>
public static class NotebookRunner
{
    public static async Task<NotebookRunResult> RunAsync(string notebookPath, NotebookRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NotebookRunOptions();
        var notebook = NotebookDocument.Load(notebookPath);
        var output = options.OutputPath ?? notebookPath;
        var pending = new Dictionary<string, string>(options.Parameters ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (pending.Count > 0 && !notebook.Cells.Any(c => c.IsParameters))
            throw new ArgumentException($"{notebookPath}: --param given but no code cell is tagged \"parameters\"");

        KitFormatters.Register();
        PlotlyHtml.ResetSession();
        var kernels = new Dictionary<string, ICellKernel>(StringComparer.Ordinal);
        var routing = Formatter.SubscribeToDisplayedValues(dv => { if (dv.IsUpdated) CellConsole.Active?.TryUpdate(dv); });
        var times = new List<TimeSpan>();
        int executionCount = 0;
        bool parametersApplied = false;
        var codeCells = notebook.Cells.Where(c => c.CellType == "code").ToList();
        try
        {
            foreach (var cell in codeCells)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var outputs = new CellOutputs(options.Log);
                var clock = Stopwatch.StartNew();
                int count = ++executionCount;
                string kernelName = cell.Kernel;
                options.Log?.WriteLine($"cell {cell.Index} ({kernelName}) [{count}/{codeCells.Count}] …");
                try
                {
                    var filtered = KitDirectives.Apply(cell.Source, cell.Index);
                    kernelName = filtered.Kernel ?? kernelName;
                    var kernel = await KernelFor(kernels, kernelName, cell.Index);
                    var value = await CellConsole.CaptureAsync(outputs, () => kernel.RunAsync(filtered.Code, cell.Index, cancellationToken));
                    if (value is not null) await CellConsole.CaptureAsync(outputs, () => { outputs.SetResult(value, count); return Task.FromResult(0); });
                    if (cell.IsParameters && !parametersApplied)
                    {
                        parametersApplied = true;
                        foreach (var (name, text) in pending) kernel.SetParameter(name, text);
                        if (pending.Count > 0)
                        {
                            outputs.WriteStdout($"parameters overridden: {string.Join(", ", pending.Select(p => $"{p.Key}={p.Value}"))}\n");
                            notebook.Metadata["hardnegatives"] = new JsonObject { ["parameters"] = new JsonObject(pending.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };
                        }
                    }
                }
                catch (CellFailure failure)
                {
                    outputs.SetError(failure.ErrorName, failure.Message, failure.Details);
                    cell.SetOutputs(outputs.ToJson(), count);
                    notebook.Save(output);
                    throw new NotebookCellException(cell.Index, kernelName, failure.Line, SourceLine(cell.Source, failure.Line), failure);
                }
                cell.SetOutputs(outputs.ToJson(), count);
                times.Add(clock.Elapsed);
                options.Log?.WriteLine($"cell {cell.Index} ({kernelName}) done in {clock.Elapsed.TotalSeconds:0.0} s");
            }
        }
        finally
        {
            routing.Dispose();
            foreach (var k in kernels.Values) await k.DisposeAsync();
        }
        notebook.Save(output);
        return new NotebookRunResult(output, codeCells.Count, times, notebook);
    }

    static Task<ICellKernel> KernelFor(Dictionary<string, ICellKernel> kernels, string name, int cellIndex)
    {
        if (kernels.TryGetValue(name, out var existing)) return Task.FromResult(existing);
        ICellKernel created = name switch
        {
            "csharp" => new CSharpCellKernel(),
            "fsharp" => new FSharpCellKernel(),
            _ => throw new CellFailure("UnsupportedKernel",
                $"kernel '{name}' is not supported by the headless runner (supported: csharp, fsharp; markdown cells are skipped)", null, []),
        };
        kernels[name] = created;
        return Task.FromResult(created);
    }

    static string? SourceLine(string source, int? line) =>
        line is { } l && l >= 1 && source.Replace("\r\n", "\n").Split('\n') is var lines && l <= lines.Length ? lines[l - 1] : null;
}
