using System.Text.Json;
using HardNegatives.Generation.Embedded;
using HardNegatives.Tokenization.SentencePiece;

namespace HardNegatives.Tests.Tokenization.SentencePiece;

/// <summary>
/// A Llama-2-style SentencePiece-BPE tokenizer.json (merge-ranked, byte fallback, ▁ prepend normalizer) against the ids
/// and decoded text that Hugging Face tokenizers gives (TestData/golden/hf-sentencepiece-tok512, made by
/// tools/hf-tokenizer-goldens).
/// </summary>
public class HfSentencePieceGoldenTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "hf-sentencepiece-tok512");
    static readonly Lazy<SentencePieceBpeTokenizer> Tokenizer = new(() => SentencePieceTokenizerJson.Load(Path.Combine(Folder, "tokenizer.json")));

    static string[] Inputs()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "llama2c-tok512", "inputs.txt"));
        const string delimiter = "\n__ggml_vocab_test__\n";
        return text[..^delimiter.Length].Split(delimiter);
    }

    static int[] Ids(string line) => [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];

    [Fact]
    public void EncodeMatchesHuggingFaceOnEveryInput()
    {
        var inputs = Inputs();
        var golden = File.ReadAllLines(Path.Combine(Folder, "ids.txt"));
        Assert.Equal(inputs.Length, golden.Length);
        var failures = inputs.Select((s, i) => (s, i)).Where(x => !Ids(golden[x.i]).SequenceEqual(Tokenizer.Value.Encode(x.s)))
            .Select(x => $"#{x.i} {x.s.ReplaceLineEndings("\\n")}: expected [{golden[x.i]}], got [{string.Join(' ', Tokenizer.Value.Encode(x.s))}]").ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void DecodeMatchesHuggingFaceOnEveryInput()
    {
        var golden = File.ReadAllLines(Path.Combine(Folder, "ids.txt"));
        var decoded = File.ReadAllLines(Path.Combine(Folder, "decoded.jsonl")).Select(l => JsonSerializer.Deserialize<string>(l)!).ToArray();
        var failures = golden.Select((line, i) => (Expected: decoded[i], Got: Tokenizer.Value.Decode(Ids(line)), i))
            .Where(x => x.Expected != x.Got).Select(x => $"#{x.i}: expected {JsonSerializer.Serialize(x.Expected)}, got {JsonSerializer.Serialize(x.Got)}").ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void LocatorPicksTheSentencePieceLoaderForThisTokenizerJson()
    {
        var t = DecoderTokenizerLocator.Load(Path.Combine(Folder, "tokenizer.json"), 512);
        Assert.IsType<SentencePieceBpeTokenizer>(t);
        Assert.Equal(512, t.VocabSize);
    }
}
