namespace HardNegatives.Tokenization.Bpe;

/// <summary>
/// GPT-2's reversible byte-to-character map (<c>bytes_to_unicode</c>): printable Latin-1 bytes map to themselves, the
/// other 68 bytes to U+0100 onwards, so every byte string becomes a string of visible characters (space becomes 'Ġ').
/// </summary>
public static class ByteLevelAlphabet
{
    static readonly char[] ByteToChar = Build();
    static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    static char[] Build()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    public static char Encode(byte b) => ByteToChar[b];

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Maps characters back to bytes; false if a character is outside the alphabet.</summary>
    public static bool TryDecode(string mapped, List<byte> into)
    {
        foreach (var c in mapped)
        {
            if (!CharToByte.TryGetValue(c, out var b)) return false;
            into.Add(b);
        }
        return true;
    }
}
