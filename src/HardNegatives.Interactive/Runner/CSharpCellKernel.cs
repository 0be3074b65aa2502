using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// C# cells through Roslyn scripting: the first cell starts a script, each later one continues its state
/// (<see cref="ScriptState.ContinueWithAsync(string, ScriptOptions?, CancellationToken)"/>), so variables, usings and types carry over.
/// </summary>
sealed class CSharpCellKernel : ICellKernel
{
    static readonly Lazy<ScriptOptions> Options = new(() => ScriptOptions.Default
        .WithReferences(KernelReferences.Paths.Select(p => MetadataReference.CreateFromFile(p)))
        .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Text", "System.Threading.Tasks")
        .WithEmitDebugInformation(true)
        .WithFileEncoding(Encoding.UTF8));

    readonly NotebookGlobals globals = new();
    ScriptState<object>? state;

    public string Name => "csharp";

    public IReadOnlyList<string> VariableNames => state?.Variables.Select(v => v.Name).Distinct().ToList() ?? [];

    public async Task<object?> RunAsync(string code, int cellIndex, CancellationToken cancellationToken)
    {
        var file = $"cell{cellIndex}.csx";
        var options = Options.Value.WithFilePath(file);
        try
        {
            state = state is null
                ? await CSharpScript.RunAsync<object>(code, options, globals, typeof(NotebookGlobals), cancellationToken)
                : await state.ContinueWithAsync<object>(code, options, cancellationToken);
            return state.ReturnValue;
        }
        catch (CompilationErrorException e)
        {
            var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            int? line = errors.Count > 0 ? errors[0].Location.GetLineSpan().StartLinePosition.Line + 1 : null;
            var first = errors.Count > 0 ? $"{errors[0].Id}: {errors[0].GetMessage()}" : e.Message;
            throw new CellFailure("CompilationError", first, line, errors.Select(d => d.ToString()).ToList(), e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw RuntimeFailure(e, file);
        }
    }

    public void SetParameter(string name, string value)
    {
        var variable = state?.GetVariable(name)
            ?? throw new ArgumentException($"parameter '{name}' is not declared in the parameters cell (declared: {string.Join(", ", VariableNames)})");
        if (variable.IsReadOnly) throw new ArgumentException($"parameter '{name}' is declared const or readonly; declare it with var");
        variable.Value = ParameterValue.Convert(name, value, variable.Type);
    }

    /// <summary>The innermost frame in the cell's own code gives the line; the trace keeps the rest.</summary>
    static CellFailure RuntimeFailure(Exception e, string file)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
        int? line = null;
        foreach (var ex in new[] { root }.Concat(Inner(root)))
        {
            var frame = new StackTrace(ex, true).GetFrames().FirstOrDefault(f => f.GetFileName()?.EndsWith(file, StringComparison.Ordinal) == true);
            if (frame is not null) { line = frame.GetFileLineNumber(); break; }
        }
        return new CellFailure(root.GetType().Name, root.Message, line, root.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList(), root);
    }

    static IEnumerable<Exception> Inner(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException) yield return x;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
