using System.Text;
using System.Text.Json.Nodes;
using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Kernel.Execution;

/// <summary>How the kernel speaks: replies on the channel a request came in on, broadcasts on iopub (topic <c>kernel.&lt;session&gt;.&lt;type&gt;</c>).</summary>
sealed class KernelOutbox(KernelSockets sockets, string session)
{
    public string Session => session;

    public void Reply(KernelChannel channel, JupyterMessage request, string type, JsonObject content) =>
        sockets.Send(channel, JupyterMessage.Create(session, type, content, request));

    public void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        sockets.Send(KernelChannel.IoPub, JupyterMessage.Create(session, type, content, parent, [Encoding.UTF8.GetBytes($"kernel.{session}.{type}")]));

    public void Status(string state, JupyterMessage? parent) => Publish("status", new JsonObject { ["execution_state"] = state }, parent);

    /// <summary>Asks the client that sent <paramref name="request"/> for a line (stdin is routed by the shell request's identities).</summary>
    public void InputRequest(JupyterMessage request, string prompt, bool password) =>
        sockets.Send(KernelChannel.Stdin, JupyterMessage.Create(session, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, request));
}
