namespace HardNegatives.Interactive.Runner;

/// <summary>A cell that did not compile or threw: where (cell index, line in the cell, that line's text) and why.</summary>
public sealed class CellFailure(string errorName, string message, int? line, IReadOnlyList<string> details, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The exception type or "CompilationError".</summary>
    public string ErrorName { get; } = errorName;

    /// <summary>1-based line within the cell, when known.</summary>
    public int? Line { get; } = line;

    /// <summary>Compiler diagnostics or the stack trace, for the notebook's error output.</summary>
    public IReadOnlyList<string> Details { get; } = details;
}

/// <summary>The notebook run stopped at a cell: its index, kernel, line and source line, and the error.</summary>
public sealed class NotebookCellException(int cellIndex, string kernel, int? line, string? sourceLine, CellFailure failure)
    : InvalidOperationException(
        $"cell {cellIndex} ({kernel}){(line is { } l ? $", line {l}" : "")} failed: {failure.ErrorName}: {failure.Message}" +
        (sourceLine is { Length: > 0 } s ? $"\n    {s.Trim()}" : ""), failure)
{
    public int CellIndex { get; } = cellIndex;
    public int? Line { get; } = line;
    public string? SourceLine { get; } = sourceLine;
    public CellFailure Failure { get; } = failure;
}
