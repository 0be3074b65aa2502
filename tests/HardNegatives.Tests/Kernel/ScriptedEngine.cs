using HardNegatives.Kernel.Engine;

namespace HardNegatives.Tests.Kernel;

/// <summary>
/// A language engine stand-in for the kit layer's tests: it records each code chunk it is given, keeps variables in a
/// dictionary, and runs <see cref="OnExecute"/> as the "cell's code" (e.g. to call the facade).
/// </summary>
sealed class ScriptedEngine : IExecutionEngine
{
    public List<string> Executed { get; } = [];
    public Dictionary<string, object> Variables { get; } = new(StringComparer.Ordinal);
    public Func<string, ICellOutput, ExecutionOutcome>? OnExecute { get; set; }

    public LanguageInfo Language { get; } = new("test", "1", "text/plain", ".txt", "text", "text");

    public Task<ExecutionOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken cancellationToken)
    {
        Executed.Add(code);
        return Task.FromResult(OnExecute?.Invoke(code, output) ?? ExecutionOutcome.NoValue);
    }

    public Task<CompletionResult> CompleteAsync(string code, int cursorPosition, CancellationToken cancellationToken) =>
        Task.FromResult(new CompletionResult([], cursorPosition, cursorPosition));
    public Task<string?> InspectAsync(string code, int cursorPosition, int detailLevel, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    public CodeCompleteness IsComplete(string code) => CodeCompleteness.Incomplete();
    public object? GetVariable(string name) => Variables.GetValueOrDefault(name);

    public Task SetVariableAsync(string name, object value, Type type, CancellationToken cancellationToken)
    {
        Variables[name] = value;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
