using System.Reflection;
using FSharp.Compiler.Diagnostics;
using FSharp.Compiler.Interactive;
using HardNegatives.Interactive;
using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Execution;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.FSharp.Core;

namespace HardNegatives.Kernel.Engines.FSharp;

/// <summary>
/// F# cells over FSharp.Compiler.Service's <see cref="Shell.FsiEvaluationSession"/> (F# Interactive in this process): state
/// persists across cells, a trailing expression becomes the cell's value (FSI's <c>it</c>), <c>display x</c> shows a value
/// with the kit's formatters, and the kit's assemblies are referenced, so <c>open HardNegatives.Interactive</c> then
/// <c>Hn.MineBm25 "scifact"</c> works without any <c>#r</c>.
/// </summary>
public sealed class FSharpScriptEngine : IExecutionEngine
{
    readonly Shell.FsiEvaluationSession session;
    readonly FSharpEditing editing;

    public FSharpScriptEngine()
    {
        // FSI's own echo ("val x: int = 1") and "Stopped due to error" go nowhere: the cell's value and diagnostics are reported instead.
        string[] argv = ["fsi", "--noninteractive", "--nologo", "--gui-", "--optimize+", .. FSharpReferences.Kit().Select(path => $"-r:{path}")];
        session = Shell.FsiEvaluationSession.Create(Shell.FsiEvaluationSession.GetDefaultConfiguration(), argv,
            TextReader.Null, TextWriter.Null, TextWriter.Null, FSharpOption<bool>.Some(false), null);
        editing = new FSharpEditing(session);
        var prelude = $"let display (value: 'T) = {typeof(FSharpCells).FullName}.Display(box value)";
        if (Evaluate(prelude) is { Item2: var diagnostics } && diagnostics.Any(d => d.Severity == FSharpDiagnosticSeverity.Error))
            throw new InvalidOperationException("F# engine: the prelude failed: " + string.Join("; ", diagnostics.Select(d => d.Message)));
    }

    public LanguageInfo Language { get; } = new("fsharp", typeof(Shell.FsiEvaluationSession).Assembly.GetName().Version?.ToString(3) ?? "10.0",
        "text/x-fsharp", ".fsx", "fsharp", "text/x-fsharp");

    public Task<ExecutionOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code)) return Task.FromResult(ExecutionOutcome.NoValue);
        var done = new TaskCompletionSource<ExecutionOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Its own thread, so that an interrupt can abort the cell's code (ControlledExecution) without touching the caller.
        var thread = new Thread(() =>
        {
            try { done.SetResult(Run(code, output, cancellationToken)); }
            catch (Exception e) { done.SetResult(ExecutionOutcome.Error(e.GetType().Name, e.Message)); }
        }, 64 * 1024 * 1024) { IsBackground = true, Name = "F# cell" };
        thread.Start();
        return done.Task;
    }

    ExecutionOutcome Run(string code, ICellOutput output, CancellationToken cancellationToken)
    {
        CellContext.Enter(output);   // display(…) and the console (Execution.CellConsole) reach this cell, whoever runs the engine
        (FSharpChoice<FSharpOption<Shell.FsiValue>?, Exception> Result, FSharpDiagnostic[] Diagnostics) evaluated = default;
        try
        {
            // FSI's own interrupt needs its console loop; ControlledExecution aborts the cell's thread on cancellation, and the
            // session stays usable (the interrupt test runs a cell after it).
#pragma warning disable SYSLIB0046
            // (With a token that cannot be cancelled, .NET 10's Run spins forever after the action: run it plainly then.)
            if (!cancellationToken.CanBeCanceled) evaluated = Evaluate(code);
            else System.Runtime.ControlledExecution.Run(() => evaluated = Evaluate(code), cancellationToken);
#pragma warning restore SYSLIB0046
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error("OperationCanceledException", "the cell was interrupted");
        }
        finally { CellContext.Leave(); }
        if (evaluated.Diagnostics is null) return ExecutionOutcome.Error("OperationCanceledException", "the cell was interrupted");

        var errors = evaluated.Diagnostics.Where(d => d.Severity == FSharpDiagnosticSeverity.Error).Select(Describe).ToArray();
        foreach (var warning in evaluated.Diagnostics.Where(d => d.Severity == FSharpDiagnosticSeverity.Warning))
            output.WriteStderr(Describe(warning) + "\n");
        if (errors.Length > 0) return ExecutionOutcome.Error("CompilationError", errors[0], errors);
        return evaluated.Result switch
        {
            FSharpChoice<FSharpOption<Shell.FsiValue>?, Exception>.Choice2Of2 { Item: var exception } => Failure(exception),
            FSharpChoice<FSharpOption<Shell.FsiValue>?, Exception>.Choice1Of2 { Item: { Value: var value } }
                when value.ReflectionType != typeof(Unit) => ExecutionOutcome.WithValue(value.ReflectionValue),
            _ => ExecutionOutcome.NoValue,
        };
    }

    (FSharpChoice<FSharpOption<Shell.FsiValue>?, Exception>, FSharpDiagnostic[]) Evaluate(string code)
    {
        var (result, diagnostics) = session.EvalInteractionNonThrowing(code, null);
        return (result, diagnostics);
    }

    /// <summary>"(line,col): error FS0039: message", the position 1-based as editors show it.</summary>
    static string Describe(FSharpDiagnostic d) =>
        $"({d.StartLine},{d.StartColumn + 1}): {(d.Severity == FSharpDiagnosticSeverity.Error ? "error" : "warning")} FS{d.ErrorNumber:0000}: {d.Message}";

    static ExecutionOutcome Failure(Exception exception)
    {
        while (exception is TargetInvocationException { InnerException: { } inner }) exception = inner;
        // The cell's own frames, not those of the compiler that ran it.
        var frames = (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeWhile(frame => !frame.Contains("FSharp.Compiler.", StringComparison.Ordinal) && !frame.Contains("System.RuntimeMethodHandle", StringComparison.Ordinal));
        return ExecutionOutcome.Error(exception.GetType().Name, exception.Message, [$"{exception.GetType().FullName}: {exception.Message}", .. frames]);
    }

    public Task<CompletionResult> CompleteAsync(string code, int cursorPosition, CancellationToken cancellationToken) =>
        Task.Run(() => editing.Complete(code, cursorPosition), cancellationToken);

    public Task<string?> InspectAsync(string code, int cursorPosition, int detailLevel, CancellationToken cancellationToken) =>
        Task.Run(() => editing.Inspect(code, cursorPosition), cancellationToken);

    public CodeCompleteness IsComplete(string code) => editing.IsComplete(code);

    public object? GetVariable(string name) =>
        session.TryFindBoundValue(name) is { } bound ? bound.Value.Value.ReflectionValue : null;

    public Task SetVariableAsync(string name, object value, Type type, CancellationToken cancellationToken)
    {
        session.AddBoundValue(name, value);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        ((IDisposable)session).Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>What the F# session's prelude calls: <c>display x</c> in a cell, as C#'s <c>display(x)</c> (CSharpScriptGlobals).</summary>
public static class FSharpCells
{
    public static DisplayedValue Display(object? value) => CellContext.Current?.Display(value) ?? ConsoleDisplay.Show(value);
}
