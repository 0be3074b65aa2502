using System.Globalization;
using FSharp.Compiler.Diagnostics;
using FSharp.Compiler.Interactive;
using Microsoft.FSharp.Core;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// F# cells through FSharp.Compiler.Service's in-process F# Interactive: one <see cref="Shell.FsiEvaluationSession"/>
/// for the run, so bindings carry from cell to cell. <c>display</c> is bound to <see cref="NotebookGlobals.Display"/>.
/// </summary>
sealed class FSharpCellKernel : ICellKernel
{
    readonly Shell.FsiEvaluationSession session;
    readonly StringWriter fsiOut = new(), fsiErr = new();

    public FSharpCellKernel()
    {
        var config = Shell.FsiEvaluationSession.GetDefaultConfiguration();
        var argv = new[] { "fsi.dll", "--noninteractive", "--nologo", "--gui-", "--optimize+" }
            .Concat(KernelReferences.NonFramework.Select(p => "-r:" + p)).ToArray();
        session = Shell.FsiEvaluationSession.Create(config, argv, new StringReader(""), fsiOut, fsiErr, FSharpOption<bool>.Some(true), null);
        var prelude = Eval("""
            let display (value: obj) = HardNegatives.Interactive.Runner.NotebookGlobals.Display(value)
            HardNegatives.Interactive.KitFormatters.Register()
            """, -1, CancellationToken.None);
        _ = prelude;
    }

    public string Name => "fsharp";

    public IReadOnlyList<string> VariableNames => session.GetBoundValues().Select(v => v.Name).Distinct().ToList();

    public Task<object?> RunAsync(string code, int cellIndex, CancellationToken cancellationToken) =>
        Task.FromResult(Eval(code, cellIndex, cancellationToken));

    object? Eval(string code, int cellIndex, CancellationToken cancellationToken)
    {
        var (result, diagnostics) = session.EvalInteractionNonThrowing(code, FSharpOption<CancellationToken>.Some(cancellationToken)).ToValueTuple();
        var errors = diagnostics.Where(d => d.Severity.IsError).ToList();
        if (result.IsChoice2Of2)
        {
            var e = ((FSharpChoice<FSharpOption<Shell.FsiValue>?, Exception>.Choice2Of2)result).Item;
            if (errors.Count > 0)
                throw new CellFailure("CompilationError", $"FS{errors[0].ErrorNumber:0000}: {errors[0].Message}", errors[0].StartLine,
                    errors.Select(Describe).ToList(), e);
            var root = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
            throw new CellFailure(root.GetType().Name, root.Message, null, root.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList(), root);
        }
        var value = ((FSharpChoice<FSharpOption<Shell.FsiValue>?, Exception>.Choice1Of2)result).Item;
        if (value is null || value.Value.ReflectionType == typeof(Unit)) return null;
        return value.Value.ReflectionValue;
    }

    static string Describe(FSharpDiagnostic d) => $"({d.StartLine},{d.StartColumn + 1}): error FS{d.ErrorNumber:0000}: {d.Message}";

    public void SetParameter(string name, string value)
    {
        var bound = session.GetBoundValues().LastOrDefault(v => v.Name == name)
            ?? throw new ArgumentException($"parameter '{name}' is not declared in the parameters cell (declared: {string.Join(", ", VariableNames)})");
        var typed = ParameterValue.Convert(name, value, bound.Value.ReflectionType);
        // F# bindings are immutable: shadow the parameter with a new binding of the same type.
        Eval($"let {name} = {Literal(typed)}", -1, CancellationToken.None);
    }

    static string Literal(object value) => value switch
    {
        string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => d.ToString("R", CultureInfo.InvariantCulture) is var r && (r.Contains('.') || r.Contains('E')) ? r : r + ".0",
        _ => throw new ArgumentException($"F# parameters of type {value.GetType().Name} are not supported (use string, bool, int, int64 or float)"),
    };

    public ValueTask DisposeAsync()
    {
        ((IDisposable)session).Dispose();
        return ValueTask.CompletedTask;
    }
}
