namespace HardNegatives.Kernel.Engine;

/// <summary>How a cell ended: with a value (or none), or with an error for the front end.</summary>
public abstract record ExecutionOutcome
{
    ExecutionOutcome() { }

    /// <summary>The cell ran; <see cref="HasValue"/> when it ended in an expression whose value becomes <c>execute_result</c>.</summary>
    public sealed record Succeeded(bool HasValue, object? Value) : ExecutionOutcome;

    /// <summary>The cell failed (compile error, exception, interrupt): <c>error</c> with ename, evalue and traceback.</summary>
    public sealed record Failed(string Name, string Message, IReadOnlyList<string> Traceback) : ExecutionOutcome;

    public static ExecutionOutcome NoValue { get; } = new Succeeded(false, null);
    public static ExecutionOutcome WithValue(object? value) => new Succeeded(true, value);
    public static ExecutionOutcome Error(string name, string message, params string[] traceback) =>
        new Failed(name, message, traceback.Length > 0 ? traceback : [$"{name}: {message}"]);
}
