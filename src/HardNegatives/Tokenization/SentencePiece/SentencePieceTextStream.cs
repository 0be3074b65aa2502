using System.Text;

namespace HardNegatives.Tokenization.SentencePiece;

/// <summary>
/// Incremental decoding for streaming: each <see cref="Append"/> returns the text that became complete with that token
/// (UTF-8 sequences split over byte tokens are held until their last byte arrives).
/// </summary>
public sealed class SentencePieceTextStream(SentencePieceBpeTokenizer tokenizer, int previous = -1) : ITokenTextStream
{
    readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    int _previous = previous;
    bool _atStart = true;

    public string Append(int token)
    {
        var bytes = tokenizer.TokenBytes(_previous, token);
        _previous = token;
        // Hugging Face's Strip(" ", 1, 0) decoder step: one leading space of the whole text goes.
        if (tokenizer.Options.HuggingFaceDecoding && _atStart && !bytes.IsEmpty)
        {
            _atStart = false;
            if (bytes[0] == (byte)' ') bytes = bytes[1..];
        }
        if (bytes.IsEmpty) return "";
        var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
        var n = _utf8.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, n);
    }

    /// <summary>Whatever is left of an unfinished UTF-8 sequence, as U+FFFD.</summary>
    public string Flush()
    {
        var chars = new char[8];
        var n = _utf8.GetChars([], chars, flush: true);
        return new string(chars, 0, n);
    }
}
