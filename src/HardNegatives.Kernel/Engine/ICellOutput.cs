using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Kernel.Engine;

/// <summary>
/// Where a running cell's output goes; the kernel turns each call into iopub messages (<c>stream</c>, <c>display_data</c>,
/// <c>update_display_data</c>) and <c>input_request</c>s. Safe to call from any thread while the cell runs.
/// </summary>
public interface ICellOutput
{
    void WriteStdout(string text);
    void WriteStderr(string text);

    /// <summary>
    /// Shows <paramref name="value"/> with the kit's formatters (text/html and text/plain). Updating the returned value
    /// (<see cref="DisplayedValue.Update"/>) sends <c>update_display_data</c> for the same <c>transient.display_id</c>:
    /// this is how live progress reaches every front end.
    /// </summary>
    DisplayedValue Display(object? value);

    /// <summary>Asks the front end for a line (<c>input_request</c>); null when the front end does not allow stdin.</summary>
    string? ReadLine(string prompt, bool password);
}
