using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>
/// C# cells over Roslyn scripting: each cell continues the previous one's state (variables, types, usings), a trailing
/// expression becomes the cell's value, compile errors are reported with line:col inside the cell.
/// </summary>
/// <remarks>
/// Interrupting: a running cell cannot be aborted from outside in .NET, and a loop cannot see a token. So a cell is
/// (1) rewritten so every loop body first checks the cell's token (<see cref="LoopInterruptRewriter"/>: ends
/// <c>while (true) {}</c>), and (2) run on a thread of its own that the interrupt wakes with
/// <see cref="Thread.Interrupt"/> (ends <c>Thread.Sleep(60000)</c>, blocking waits and a cell blocked on an awaited task).
/// What neither reaches (a long native call) is abandoned after <see cref="AbandonAfter"/>: the cell reports the interrupt,
/// the next cell continues from the state before it, and the abandoned code runs on in the background until it returns.
/// </remarks>
public sealed class CSharpScriptEngine : IExecutionEngine
{
    static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(3);

    readonly ScriptOptions options = KitScriptOptions.Create();
    readonly CSharpScriptGlobals globals = new();
    ScriptState<object>? state;
    int cells;

    public LanguageInfo Language { get; } = new("csharp", LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString(),
        "text/x-csharp", ".cs", "csharp", "text/x-csharp");

    public async Task<ExecutionOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken cancellationToken)
    {
        var cell = ++cells;
        var cellOptions = options.WithFilePath($"cell{cell}");
        var script = Continue(LoopInterruptRewriter.Rewrite(code, KitScriptOptions.ParseOptions), cellOptions);
        var errors = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            // Report positions in the code as written (the loop checks shift columns).
            errors = Continue(code, cellOptions).Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0) return CompileError(errors);
        }

        var run = RunOnOwnThread(script, cell, output, cancellationToken);
        try
        {
            var next = await run.WaitAsync(cancellationToken);
            return Outcome(script, next);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The interrupt woke the cell's thread and loops check the token: usually it ends at once. If not, abandon it.
            try
            {
                var ended = await run.WaitAsync(AbandonAfter, CancellationToken.None);
                if (ended.Exception is null or OperationCanceledException or ThreadInterruptedException) state = ended;
            }
            catch (Exception) { }
            return Interrupted();
        }
    }

    Script<object> Continue(string code, ScriptOptions cellOptions) =>
        state is null ? CSharpScript.Create(code, cellOptions, typeof(CSharpScriptGlobals)) : state.Script.ContinueWith(code, cellOptions);

    Task<ScriptState<object>> RunOnOwnThread(Script<object> script, int cell, ICellOutput output, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<ScriptState<object>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = state;
        var thread = new Thread(() =>
        {
            CellInterrupt.Enter(cancellationToken);
            CellContext.Enter(output); // display(…) and the console reach this cell, whoever runs the engine
            try
            {
                var running = previous is null
                    ? script.RunAsync(globals, _ => true, CancellationToken.None)
                    : script.RunFromAsync(previous, _ => true, CancellationToken.None);
                done.TrySetResult(running.GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }) { IsBackground = true, Name = $"C# cell {cell}" };
        thread.Start();
        var wake = cancellationToken.Register(() => thread.Interrupt());
        done.Task.ContinueWith(_ => wake.Dispose(), TaskScheduler.Default);
        return done.Task;
    }

    ExecutionOutcome Outcome(Script<object> script, ScriptState<object> next)
    {
        state = next;
        if (next.Exception is { } e)
            return e is OperationCanceledException or ThreadInterruptedException
                ? Interrupted()
                : new ExecutionOutcome.Failed(e.GetType().Name, e.Message, ScriptTraceback.Lines(e));
        return HasValue(script.GetCompilation()) ? ExecutionOutcome.WithValue(next.ReturnValue) : ExecutionOutcome.NoValue;
    }

    /// <summary>Whether the cell ends in an expression without a semicolon whose type is not void (its value is shown).</summary>
    static bool HasValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.First();
        if (tree.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax unit
            || unit.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax last }
            || !last.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(last.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    static ExecutionOutcome Interrupted() =>
        ExecutionOutcome.Error("OperationCanceledException", "The cell was interrupted.", "OperationCanceledException: The cell was interrupted (Jupyter interrupt).");

    static ExecutionOutcome CompileError(IReadOnlyList<Diagnostic> errors)
    {
        var lines = errors.Select(Describe).ToArray();
        return ExecutionOutcome.Error("CompilationError", lines[0], lines);
    }

    /// <summary>"(line,col): error CS0103: …", with line and column counted from 1 inside the cell.</summary>
    static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        return $"{where}error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    public Task<CompletionResult> CompleteAsync(string code, int cursorPosition, CancellationToken cancellationToken) =>
        Task.Run(() => CSharpCompletion.Complete(Continue(code, options).GetCompilation(), code, cursorPosition), cancellationToken);

    public Task<string?> InspectAsync(string code, int cursorPosition, int detailLevel, CancellationToken cancellationToken) =>
        Task.Run(() => CSharpCompletion.Inspect(Continue(code, options).GetCompilation(), cursorPosition, detailLevel), cancellationToken);

    public CodeCompleteness IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, KitScriptOptions.ParseOptions);
        // Incomplete: more lines could finish it (an open brace, a missing expression). Invalid: complete, but wrong.
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return CodeCompleteness.Incomplete(Indent(code));
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? CodeCompleteness.Invalid : CodeCompleteness.Complete;
    }

    static string Indent(string code)
    {
        var depth = code.Count(c => c == '{') - code.Count(c => c == '}');
        return new string(' ', 4 * Math.Max(0, depth));
    }

    public object? GetVariable(string name) => state?.Variables.LastOrDefault(v => v.Name == name)?.Value;

    public async Task SetVariableAsync(string name, object value, Type type, CancellationToken cancellationToken)
    {
        // A cell that declares the variable, initialised from a slot the host fills: typed as asked, visible to later cells.
        var slot = VariableSlot.Put(value);
        var declaration = $"{Nice(type)} {name} = ({Nice(type)})global::{typeof(VariableSlot).FullName}.{nameof(VariableSlot.Take)}({slot});";
        var script = Continue(declaration, options);
        var errors = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException($"cannot define {name} as {type}: {Describe(errors[0])}");
        state = state is null ? await script.RunAsync(globals, cancellationToken: cancellationToken) : await script.RunFromAsync(state, cancellationToken: cancellationToken);
    }

    /// <summary>A type as C# source (generic arguments spelled out, global:: qualified).</summary>
    static string Nice(Type type) =>
        type.IsGenericType
            ? $"global::{type.GetGenericTypeDefinition().FullName![..type.GetGenericTypeDefinition().FullName!.IndexOf('`')].Replace('+', '.')}<{string.Join(", ", type.GetGenericArguments().Select(Nice))}>"
            : $"global::{type.FullName!.Replace('+', '.')}";

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
