using HardNegatives.Kernel.Protocol;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Kernel.Execution;

/// <summary>
/// Remembers which request showed each display id, so that <see cref="DisplayedValue.Update"/> (live progress, from any
/// thread, even after the cell ended) becomes an <c>update_display_data</c> for that request's output.
/// </summary>
sealed class DisplayRegistry : IDisposable
{
    readonly Dictionary<string, JupyterMessage> shownBy = [];
    readonly Lock gate = new();
    readonly IDisposable subscription;
    readonly Action<DisplayedValue, JupyterMessage> onUpdate;

    public DisplayRegistry(Action<DisplayedValue, JupyterMessage> onUpdate)
    {
        this.onUpdate = onUpdate;
        subscription = Formatter.SubscribeToDisplayedValues(Updated);
    }

    public void Add(DisplayedValue value, JupyterMessage request)
    {
        lock (gate) shownBy[value.DisplayId] = request;
    }

    void Updated(DisplayedValue value)
    {
        JupyterMessage? request;
        lock (gate) shownBy.TryGetValue(value.DisplayId, out request);
        if (request is not null && value.IsUpdated) onUpdate(value, request);
    }

    public void Dispose() => subscription.Dispose();
}
