using System.Text;

namespace HardNegatives.Tokenization.SentencePiece;

/// <summary>
/// Reads karpathy/llama2.c's <c>tokenizer.bin</c>: int32 max_token_length, then per token float32 score, int32 byte
/// length and the piece's bytes. llama2.c's export writes SentencePiece's <c>▁</c> as a plain space and BOS/EOS as
/// <c>"\n&lt;s&gt;\n"</c>/<c>"\n&lt;/s&gt;\n"</c>; the vocabulary size is not stored (the checkpoint header has it), so
/// the file is read to its end.
/// </summary>
public static class Llama2cTokenizerFile
{
    /// <summary>Reads every piece and score; <paramref name="vocabSize"/>, when given, must match the count in the file.</summary>
    public static SentencePieceBpeTokenizer Read(string path, int? vocabSize = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        var pieces = new List<byte[]>();
        var scores = new List<float>();
        var offset = 4;
        if (bytes.Length < 4) throw new InvalidDataException($"{path}: {bytes.Length} bytes, too short for a llama2.c tokenizer.bin");
        while (offset < bytes.Length)
        {
            if (offset + 8 > bytes.Length) throw new InvalidDataException($"{path}: truncated entry for token {pieces.Count} at byte {offset}");
            var score = BitConverter.ToSingle(bytes, offset);
            var length = BitConverter.ToInt32(bytes, offset + 4);
            offset += 8;
            if (length < 0 || offset + length > bytes.Length)
                throw new InvalidDataException($"{path}: token {pieces.Count} at byte {offset - 8} claims {length} bytes; the file has {bytes.Length - offset} left. Is this a llama2.c tokenizer.bin?");
            pieces.Add(bytes.AsSpan(offset, length).ToArray());
            scores.Add(score);
            offset += length;
        }
        if (vocabSize is { } n && n != pieces.Count)
            throw new InvalidDataException($"{path}: {pieces.Count} tokens, but the checkpoint's vocabulary has {n}; pass the tokenizer that was trained with this model.");
        return new SentencePieceBpeTokenizer(pieces, scores, new SentencePieceOptions());
    }

    /// <summary>Writes <paramref name="tokenizer"/> back in the same format (max_token_length recomputed).</summary>
    public static void Write(SentencePieceBpeTokenizer tokenizer, string path)
    {
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        var pieces = Enumerable.Range(0, tokenizer.VocabSize).Select(tokenizer.PieceBytes).ToList();
        writer.Write(pieces.Max(p => p.Length));
        for (var i = 0; i < pieces.Count; i++)
        {
            writer.Write(tokenizer.Score(i));
            writer.Write(pieces[i].Length);
            writer.Write(pieces[i]);
        }
    }
}
