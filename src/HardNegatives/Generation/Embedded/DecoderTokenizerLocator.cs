using HardNegatives.Tokenization;
using HardNegatives.Tokenization.Bpe;
using HardNegatives.Tokenization.SentencePiece;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Finds the tokenizer of a decoder checkpoint: an explicit file (llama2.c <c>tokenizer.bin</c> or Hugging Face
/// <c>tokenizer.json</c>, or a folder holding one), else the one beside the checkpoint: for a llama2.c <c>.bin</c>,
/// <c>tokenizer.bin</c> or the only <c>tok*.bin</c> in its folder; for a model folder, its <c>tokenizer.json</c>; for a GGUF
/// file, the SentencePiece vocabulary in its metadata.
/// </summary>
public static class DecoderTokenizerLocator
{
    /// <summary>The tokenizer, or null when none is given or found beside the checkpoint.</summary>
    public static ITextTokenizer? Find(string checkpoint, string? tokenizer, int vocabSize)
    {
        if (tokenizer is not null) return Load(tokenizer, vocabSize);
        if (File.Exists(checkpoint) && Models.Checkpoints.Gguf.GgufFile.IsGguf(checkpoint)) return GgufCheckpoint.ReadTokenizer(checkpoint);
        if (Directory.Exists(checkpoint))
            return File.Exists(Path.Combine(checkpoint, "tokenizer.json")) ? Load(Path.Combine(checkpoint, "tokenizer.json"), vocabSize) : null;
        var dir = Path.GetDirectoryName(Path.GetFullPath(checkpoint))!;
        if (File.Exists(Path.Combine(dir, "tokenizer.bin"))) return Load(Path.Combine(dir, "tokenizer.bin"), vocabSize);
        var candidates = Directory.GetFiles(dir, "tok*.bin");
        return candidates is [var only] ? Load(only, vocabSize) : null;
    }

    /// <summary>Loads a tokenizer file (or the <c>tokenizer.json</c> of a folder); a llama2.c file must have <paramref name="vocabSize"/> pieces.</summary>
    public static ITextTokenizer Load(string path, int vocabSize)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, "tokenizer.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer not found: {path} (expected a llama2.c tokenizer.bin or a Hugging Face tokenizer.json)", path);
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Llama2cTokenizerFile.Read(path, vocabSize);
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty JSON");
        return SentencePieceTokenizerJson.IsSentencePiece(root) ? SentencePieceTokenizerJson.Load(path) : ByteLevelBpeTokenizer.Load(path);
    }
}
