namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>
/// An exception from a cell as Jupyter's traceback lines: the type and message, then the stack frames of the cell's own
/// code (<c>Submission#N</c>) and what it called, without the scripting engine's frames beneath it.
/// </summary>
static class ScriptTraceback
{
    public static string[] Lines(Exception e)
    {
        var lines = e.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var lastCellFrame = lines.FindLastIndex(l => l.Contains("Submission#", StringComparison.Ordinal));
        if (lastCellFrame >= 0) lines = lines.Take(lastCellFrame + 1).ToList();
        return lines.Where(l => !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) && !l.Contains("HardNegatives.Kernel.Engines", StringComparison.Ordinal))
            .ToArray();
    }
}
