namespace HardNegatives.Kernel.Engine;

/// <summary>
/// One language's cell executor behind the Jupyter protocol (C# over Roslyn scripting, F# over FSharp.Compiler.Service).
/// State persists from one cell to the next. The protocol layer knows nothing of languages; an engine knows nothing of
/// ZeroMQ. Calls never overlap: the kernel runs one cell at a time.
/// </summary>
public interface IExecutionEngine : IAsyncDisposable
{
    /// <summary>What <c>kernel_info_reply.language_info</c> says about this engine's language.</summary>
    LanguageInfo Language { get; }

    /// <summary>
    /// Runs one cell. Output goes to <paramref name="output"/> while the cell runs; the outcome holds the value of a trailing
    /// expression (if any) or the error. Cancelling <paramref name="cancellationToken"/> (a Jupyter interrupt) must end the
    /// cell with <see cref="ExecutionOutcome.Failed"/> and leave the engine usable.
    /// </summary>
    Task<ExecutionOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken cancellationToken);

    /// <summary>Completions at <paramref name="cursorPosition"/> (a UTF-16 offset into <paramref name="code"/>).</summary>
    Task<CompletionResult> CompleteAsync(string code, int cursorPosition, CancellationToken cancellationToken);

    /// <summary>Documentation for the symbol at the cursor, or null when there is none.</summary>
    Task<string?> InspectAsync(string code, int cursorPosition, int detailLevel, CancellationToken cancellationToken);

    /// <summary><c>is_complete</c>: whether the front end may run <paramref name="code"/> now or should ask for more lines.</summary>
    CodeCompleteness IsComplete(string code);

    /// <summary>A variable the cells defined, for the <c>#!hn-…</c> magics (null when there is none of that name).</summary>
    object? GetVariable(string name);

    /// <summary>Defines (or replaces) a variable that later cells can use, typed as <paramref name="type"/>.</summary>
    Task SetVariableAsync(string name, object value, Type type, CancellationToken cancellationToken);
}

/// <summary><c>language_info</c> of <c>kernel_info_reply</c>.</summary>
public sealed record LanguageInfo(string Name, string Version, string MimeType, string FileExtension, string PygmentsLexer, string CodeMirrorMode);

/// <summary>The answer to <c>is_complete_request</c>: <c>complete</c>, <c>incomplete</c> (with the indent to use) or <c>invalid</c>.</summary>
public sealed record CodeCompleteness(string Status, string Indent = "")
{
    public static readonly CodeCompleteness Complete = new("complete");
    public static readonly CodeCompleteness Invalid = new("invalid");
    public static CodeCompleteness Incomplete(string indent = "") => new("incomplete", indent);
}

/// <summary>Completion candidates replacing <c>code[CursorStart..CursorEnd]</c>.</summary>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);
