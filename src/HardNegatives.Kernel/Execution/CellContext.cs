using HardNegatives.Kernel.Engine;

namespace HardNegatives.Kernel.Execution;

/// <summary>
/// The output of the cell that is running, for code that has no handle on it: Console.Out/Err/In (<see cref="CellConsole"/>),
/// <c>display(…)</c> and the facade's live progress. It flows with the cell's async calls and threads it starts, so output
/// from a cell's background work lands in that cell; code that does not carry the flow gets the latest cell.
/// </summary>
public static class CellContext
{
    static readonly AsyncLocal<ICellOutput?> flowing = new();
    static volatile ICellOutput? latest;

    public static ICellOutput? Current => flowing.Value ?? latest;

    /// <summary>Makes <paramref name="output"/> current for the calling flow (call it in the method that awaits the cell).</summary>
    public static void Enter(ICellOutput output)
    {
        latest = output;
        flowing.Value = output;
    }

    public static void Leave()
    {
        flowing.Value = null;
    }
}
