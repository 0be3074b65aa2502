namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>
/// The check that <see cref="LoopInterruptRewriter"/> puts at the top of every loop body of a cell, so that
/// <c>while (true) {}</c> ends on a Jupyter interrupt. The token flows with the cell (async calls, tasks and threads it
/// starts), so a loop of an earlier, abandoned cell stops too, and code called from outside a cell never stops.
/// </summary>
public static class CellInterrupt
{
    static readonly AsyncLocal<CancellationToken> token = new();

    internal static void Enter(CancellationToken cancellationToken) => token.Value = cancellationToken;

    /// <summary>Throws <see cref="OperationCanceledException"/> when the running cell was interrupted.</summary>
    public static void ThrowIfRequested() => token.Value.ThrowIfCancellationRequested();
}
