using System.Text;
using System.Text.Json.Nodes;
using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Protocol;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Kernel.Execution;

/// <summary>
/// One execute request's output as iopub messages. Stream text is buffered to whole lines (Console.Write char by char
/// would otherwise be one message per char) and flushed before anything else is shown, so the order the cell wrote in is
/// the order the front end sees. A silent request shows nothing.
/// </summary>
sealed class IoPubCellOutput(KernelOutbox outbox, DisplayRegistry displays, StdinBroker stdin, JupyterMessage request, bool silent, bool allowStdin, CancellationToken cancellation)
    : ICellOutput
{
    readonly StringBuilder stdout = new(), stderr = new();
    readonly Lock gate = new();
    bool closed;

    public void WriteStdout(string text) => Write("stdout", stdout, text);

    public void WriteStderr(string text) => Write("stderr", stderr, text);

    void Write(string name, StringBuilder buffer, string text)
    {
        if (silent) return;
        lock (gate)
        {
            buffer.Append(text);
            if (closed || text.Contains('\n') || text.Contains('\r')) Flush(name, buffer);
        }
    }

    void Flush(string name, StringBuilder buffer)
    {
        if (buffer.Length == 0) return;
        outbox.Publish("stream", new JsonObject { ["name"] = name, ["text"] = buffer.ToString() }, request);
        buffer.Clear();
    }

    /// <summary>Sends buffered stream text (before a display, a result, an input request, and at the end of the cell).</summary>
    public void Flush()
    {
        lock (gate)
        {
            Flush("stdout", stdout);
            Flush("stderr", stderr);
        }
    }

    public DisplayedValue Display(object? value)
    {
        var shown = new DisplayedValue(value!, MimeBundle.Format(value));
        if (silent) return shown;
        Flush();
        displays.Add(shown, request);
        outbox.Publish("display_data", Bundle(shown), request);
        return shown;
    }

    /// <summary>A display's data, metadata and transient display id (for display_data and update_display_data).</summary>
    public static JsonObject Bundle(DisplayedValue shown) => new()
    {
        ["data"] = MimeBundle.ToJson(shown.FormattedValues),
        ["metadata"] = new JsonObject(),
        ["transient"] = new JsonObject { ["display_id"] = shown.DisplayId },
    };

    public string? ReadLine(string prompt, bool password)
    {
        if (!allowStdin) return null;
        Flush();
        return stdin.ReadLine(request, prompt, password, cancellation);
    }

    /// <summary>The cell ended: flush, and from now on send writes (from its leftover background work) at once.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            Flush("stdout", stdout);
            Flush("stderr", stderr);
        }
    }
}
