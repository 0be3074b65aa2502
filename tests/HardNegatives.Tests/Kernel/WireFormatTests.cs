using System.Text;
using System.Text.Json.Nodes;
using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Tests.Kernel;

/// <summary>Framing: identities, delimiter, signature, the four JSON parts and buffers survive a round trip; tampering does not.</summary>
public class WireFormatTests
{
    static JupyterMessage Sample() => new(
        [Encoding.ASCII.GetBytes("client-a"), Encoding.ASCII.GetBytes("router-b")],
        new JsonObject { ["msg_id"] = "m1", ["msg_type"] = "execute_request", ["session"] = "s", ["username"] = "u", ["date"] = "2026-01-01T00:00:00Z", ["version"] = "5.3" },
        new JsonObject(), new JsonObject { ["tag"] = "x" }, new JsonObject { ["code"] = "1 + 1 // é" }, [new byte[] { 1, 2, 3 }]);

    [Fact]
    public void Encode_ThenDecode_GivesTheSameMessage()
    {
        var wire = new WireFormat(new MessageSigner("key"));
        var frames = wire.Encode(Sample());
        Assert.Equal(WireFormat.Delimiter, frames[2]);
        Assert.Equal(64, frames[3].Length); // hex SHA-256
        var back = wire.Decode(frames, out var rejected);
        Assert.Null(rejected);
        Assert.NotNull(back);
        Assert.Equal(["client-a", "router-b"], back.Identities.Select(Encoding.ASCII.GetString));
        Assert.Equal("execute_request", back.MessageType);
        Assert.Equal("1 + 1 // é", (string?)back.Content["code"]);
        Assert.Equal("x", (string?)back.Metadata["tag"]);
        Assert.Equal([1, 2, 3], back.Buffers.Single());
    }

    [Fact]
    public void Decode_RejectsForgedTamperedUnsignedAndMalformed()
    {
        var wire = new WireFormat(new MessageSigner("key"));
        var forged = new WireFormat(new MessageSigner("not-the-key")).Encode(Sample());
        Assert.Null(wire.Decode(forged, out var why));
        Assert.Equal("bad signature", why);

        var tampered = wire.Encode(Sample());
        tampered[^2] = Encoding.UTF8.GetBytes("{\"code\":\"File.Delete(\\\"x\\\")\"}");
        Assert.Null(wire.Decode(tampered, out why));
        Assert.Equal("bad signature", why);

        var unsigned = new WireFormat(new MessageSigner("")).Encode(Sample());
        Assert.Null(wire.Decode(unsigned, out why));
        Assert.Equal("unsigned message", why);

        Assert.Null(wire.Decode([Encoding.ASCII.GetBytes("id"), Encoding.ASCII.GetBytes("no delimiter")], out why));
        Assert.StartsWith("malformed", why);
    }

    [Fact]
    public void EmptyKey_AcceptsUnsignedMessages()
    {
        var wire = new WireFormat(new MessageSigner(""));
        Assert.NotNull(wire.Decode(wire.Encode(Sample()), out _));
    }
}
