namespace HardNegatives.Interactive.Runner;

/// <summary>One language's interpreter for a notebook run: keeps its state (variables, types) from cell to cell.</summary>
interface ICellKernel : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Runs a cell's code; returns the trailing expression's value (null when there is none). Throws <see cref="CellFailure"/>.</summary>
    Task<object?> RunAsync(string code, int cellIndex, CancellationToken cancellationToken);

    /// <summary>Overrides a variable declared by the parameters cell, converting the text to the variable's type.</summary>
    void SetParameter(string name, string value);

    /// <summary>Names of the variables defined so far (for error messages).</summary>
    IReadOnlyList<string> VariableNames { get; }
}
