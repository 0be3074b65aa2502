using System.Text.Json.Nodes;

namespace HardNegatives.Kernel.Protocol;

/// <summary>
/// One Jupyter message: the routing identities (for ROUTER sockets; the topic on iopub), header, parent header, metadata,
/// content and binary buffers. See https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol.
/// </summary>
public sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content, IReadOnlyList<byte[]> Buffers)
{
    public const string ProtocolVersion = "5.3";

    public string MessageType => (string?)Header["msg_type"] ?? "";
    public string MessageId => (string?)Header["msg_id"] ?? "";

    /// <summary>A new message of <paramref name="messageType"/> from this kernel's <paramref name="session"/>, answering <paramref name="parent"/>.</summary>
    public static JupyterMessage Create(string session, string messageType, JsonObject content, JupyterMessage? parent, IReadOnlyList<byte[]>? identities = null) =>
        new(identities ?? parent?.Identities ?? [], NewHeader(session, messageType), parent is null ? [] : (JsonObject)parent.Header.DeepClone(), [], content, []);

    static JsonObject NewHeader(string session, string messageType) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "kernel",
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["msg_type"] = messageType,
        ["version"] = ProtocolVersion,
    };
}
