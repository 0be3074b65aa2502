using System.Text;
using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Tests.Kernel;

/// <summary>The wire signature is HMAC-SHA256: checked against RFC 4231's test vectors (an independent reference).</summary>
public class MessageSignerTests
{
    static byte[] Repeat(byte b, int n) => Enumerable.Repeat(b, n).ToArray();

    public static TheoryData<byte[], byte[], string> Rfc4231 => new()
    {
        { Repeat(0x0b, 20), "Hi There"u8.ToArray(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "Jefe"u8.ToArray(), "what do ya want for nothing?"u8.ToArray(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { Repeat(0xaa, 20), Repeat(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { Enumerable.Range(1, 25).Select(i => (byte)i).ToArray(), Repeat(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { Repeat(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First"u8.ToArray(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { Repeat(0xaa, 131), Encoding.ASCII.GetBytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Sign_MatchesRfc4231(byte[] key, byte[] data, string expected)
    {
        var signer = new MessageSigner(key);
        Assert.Equal(expected, signer.Sign([data]));
        // The four message frames are signed as one stream: splitting the data anywhere gives the same signature.
        Assert.Equal(expected, signer.Sign([data[..(data.Length / 3)], data[(data.Length / 3)..(data.Length / 2)], [], data[(data.Length / 2)..]]));
        Assert.True(signer.Verify(expected, [data]));
        Assert.True(signer.Verify(expected.ToUpperInvariant(), [data]));
    }

    [Fact]
    public void Verify_RejectsAnyOtherSignature()
    {
        var signer = new MessageSigner("secret");
        var good = signer.Sign(["{}"u8.ToArray()]);
        Assert.False(signer.Verify("", ["{}"u8.ToArray()]));
        Assert.False(signer.Verify(good[..^1] + (good[^1] == '0' ? '1' : '0'), ["{}"u8.ToArray()]));
        Assert.False(signer.Verify(good, ["{ }"u8.ToArray()]));
        Assert.False(new MessageSigner("other").Verify(good, ["{}"u8.ToArray()]));
    }

    [Fact]
    public void EmptyKey_SignsNothingAndAcceptsAll()
    {
        var signer = new MessageSigner("");
        Assert.False(signer.Enabled);
        Assert.Equal("", signer.Sign(["{}"u8.ToArray()]));
        Assert.True(signer.Verify("", ["{}"u8.ToArray()]));
    }
}
