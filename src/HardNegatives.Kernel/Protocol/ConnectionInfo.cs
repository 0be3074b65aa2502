using System.Text.Json;
using System.Text.Json.Serialization;

namespace HardNegatives.Kernel.Protocol;

/// <summary>
/// A Jupyter connection file (written by the front end, passed as <c>--connection-file</c>): where each channel binds and the
/// key every message is signed with. See https://jupyter-client.readthedocs.io/en/stable/kernels.html#connection-files.
/// </summary>
public sealed record ConnectionInfo(
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("shell_port")] int ShellPort,
    [property: JsonPropertyName("control_port")] int ControlPort,
    [property: JsonPropertyName("stdin_port")] int StdinPort,
    [property: JsonPropertyName("iopub_port")] int IoPubPort,
    [property: JsonPropertyName("hb_port")] int HeartbeatPort,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("signature_scheme")] string SignatureScheme)
{
    /// <summary>Reads and checks a connection file; errors name the file and the offending value.</summary>
    public static ConnectionInfo Load(string path)
    {
        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Jupyter connection file ({e.Message})", e);
        }
        if (info is null) throw new InvalidDataException($"{path}: empty connection file");
        return info.Validated(path);
    }

    ConnectionInfo Validated(string source)
    {
        if (Transport != "tcp") throw new InvalidDataException($"{source}: transport '{Transport}' is not supported (only tcp); start the kernel with a tcp connection file");
        if (string.IsNullOrWhiteSpace(Ip)) throw new InvalidDataException($"{source}: no 'ip' to bind to");
        if (!string.IsNullOrEmpty(Key) && SignatureScheme != "hmac-sha256")
            throw new InvalidDataException($"{source}: signature_scheme '{SignatureScheme}' is not supported (only hmac-sha256)");
        foreach (var (name, port) in new[] { ("shell_port", ShellPort), ("control_port", ControlPort), ("stdin_port", StdinPort), ("iopub_port", IoPubPort), ("hb_port", HeartbeatPort) })
            if (port is <= 0 or > 65535) throw new InvalidDataException($"{source}: {name} {port} is not a port (1–65535)");
        return this with { Key = Key ?? "" };
    }

    /// <summary>The ZeroMQ endpoint of a port on the connection file's address (the only address the kernel binds).</summary>
    public string Endpoint(int port) => $"{Transport}://{Ip}:{port}";
}
