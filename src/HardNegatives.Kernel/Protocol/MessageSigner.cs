using System.Security.Cryptography;
using System.Text;

namespace HardNegatives.Kernel.Protocol;

/// <summary>
/// HMAC-SHA256 over a message's header, parent header, metadata and content frames, as lowercase hex (the Jupyter wire
/// protocol's signature). An empty key means signing is off: the signature is empty and every message is accepted, as the
/// spec says.
/// </summary>
public sealed class MessageSigner(byte[] key)
{
    /// <summary>A signer for a connection file's key (its UTF-8 bytes, as jupyter_client uses them).</summary>
    public MessageSigner(string key) : this(Encoding.UTF8.GetBytes(key)) { }

    public bool Enabled => key.Length > 0;

    /// <summary>The hex signature of <paramref name="parts"/> (header, parent_header, metadata, content), or "" when signing is off.</summary>
    public string Sign(IReadOnlyList<byte[]> parts)
    {
        if (!Enabled) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        foreach (var part in parts) hmac.AppendData(part);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="signature"/> is the signature of <paramref name="parts"/> (compared in constant time).</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> parts)
    {
        if (!Enabled) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
