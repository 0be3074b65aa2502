using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Kernel.Protocol;

/// <summary>
/// Frames a <see cref="JupyterMessage"/> for ZeroMQ and back:
/// <c>[identities…] &lt;IDS|MSG&gt; signature header parent_header metadata content [buffers…]</c>.
/// Decoding checks the signature over the frames exactly as received; a message that fails is rejected, never executed.
/// </summary>
public sealed class WireFormat(MessageSigner signer)
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    public List<byte[]> Encode(JupyterMessage message)
    {
        byte[][] parts = [Json(message.Header), Json(message.ParentHeader), Json(message.Metadata), Json(message.Content)];
        var frames = new List<byte[]>(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>The message in <paramref name="frames"/>, or null with the reason in <paramref name="rejected"/> (bad framing, bad signature, bad JSON).</summary>
    public JupyterMessage? Decode(IReadOnlyList<byte[]> frames, out string? rejected)
    {
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            rejected = $"malformed message ({frames.Count} frames, delimiter at {delimiter})";
            return null;
        }
        var parts = new[] { frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5] };
        if (!signer.Verify(Encoding.ASCII.GetString(frames[delimiter + 1]), parts))
        {
            rejected = frames[delimiter + 1].Length == 0 ? "unsigned message" : "bad signature";
            return null;
        }
        try
        {
            rejected = null;
            return new JupyterMessage(frames.Take(delimiter).ToList(), Object(parts[0]), Object(parts[1]), Object(parts[2]), Object(parts[3]), frames.Skip(delimiter + 6).ToList());
        }
        catch (JsonException e)
        {
            rejected = $"signed but not JSON ({e.Message})";
            return null;
        }
    }

    static byte[] Json(JsonObject value) => Encoding.UTF8.GetBytes(value.ToJsonString());

    static JsonObject Object(byte[] utf8) => JsonNode.Parse(utf8) as JsonObject ?? [];
}
