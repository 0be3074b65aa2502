using System.Text.Json.Nodes;
using HardNegatives.Tokenization.Bpe;

namespace HardNegatives.Tests.Tokenization.Bpe;

/// <summary>A hand-made tokenizer.json whose expected ids are derived by hand in each test's comment.</summary>
public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    const string Llama3Split = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    static readonly string[] VocabTokens =
        ["h", "e", "l", "o", "Ġ", "w", "r", "d", "!", "he", "ll", "hell", "hello", "Ġw", "or", "Ġwor", "1", "2", "3", "4", "12", "Ã", "©", "Ã©", "'", "s", "'s", "Ġworld"];
    static readonly string[] Merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "1 2", "Ã ©", "' s"];

    readonly string _dir = Path.Combine(Path.GetTempPath(), "hn-bpe-" + Guid.NewGuid().ToString("N"));

    public ByteLevelBpeTokenizerTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(bool arrayMerges = false, bool ignoreMerges = false, JsonNode? preTokenizer = null, string modelType = "BPE", bool nfc = true)
    {
        var vocab = new JsonObject();
        for (var i = 0; i < VocabTokens.Length; i++) vocab[VocabTokens[i]] = i;
        var merges = new JsonArray(Merges.Select(m => arrayMerges ? (JsonNode)new JsonArray(m.Split(' ')[0], m.Split(' ')[1]) : m).ToArray());
        var root = new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 100, ["content"] = "<|start|>", ["special"] = true },
                new JsonObject { ["id"] = 101, ["content"] = "<|end|>", ["special"] = true }),
            ["normalizer"] = nfc ? new JsonObject { ["type"] = "NFC" } : null,
            ["pre_tokenizer"] = preTokenizer ?? new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = Llama3Split }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject { ["type"] = modelType, ["ignore_merges"] = ignoreMerges, ["vocab"] = vocab, ["merges"] = merges },
        };
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    [Fact]
    public void MergesByRankWithinRegexPieces()
    {
        // Pieces "hello" | " world" | "!". hello: h e l l o -(h e)-> he l l o -(l l)-> he ll o -(he ll)-> hell o -(hell o)-> hello = 12.
        // " world" = Ġ w o r l d -(Ġ w)-> Ġw o r l d -(o r)-> Ġw or l d -(Ġw or)-> Ġwor l d = 15 2 7. "!" = 8.
        var tok = ByteLevelBpeTokenizer.Load(Write());
        Assert.Equal([12, 15, 2, 7, 8], tok.Encode("hello world!"));
        Assert.Equal("hello world!", tok.Decode([12, 15, 2, 7, 8]));
    }

    [Fact]
    public void ArrayFormMergesGiveTheSameIds()
    {
        var tok = ByteLevelBpeTokenizer.Load(Write(arrayMerges: true));
        Assert.Equal([12, 15, 2, 7, 8], tok.Encode("hello world!"));
    }

    [Fact]
    public void Llama3RegexSplitsDigitsInThrees()
    {
        // Llama 3 pattern: "1212" -> "121" | "2" -> (1 2)(1) (2) = 20 16 17. GPT-2's ByteLevel regex keeps "1212" whole -> 12 12 = 20 20.
        Assert.Equal([20, 16, 17], ByteLevelBpeTokenizer.Load(Write()).Encode("1212"));
        var gpt2 = ByteLevelBpeTokenizer.Load(Write(preTokenizer: new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true }));
        Assert.Equal([20, 20], gpt2.Encode("1212"));
        // Contraction piece "'s" -> (' s) = 26; "he's" -> "he" | "'s" = 9 26.
        Assert.Equal([9, 26], gpt2.Encode("he's"));
    }

    [Fact]
    public void AddedTokensAreMatchedBeforeBpe()
    {
        var tok = ByteLevelBpeTokenizer.Load(Write());
        Assert.Equal([100, 12, 8, 101], tok.Encode("<|start|>hello!<|end|>"));
        Assert.Equal("<|start|>hello!<|end|>", tok.Decode([100, 12, 8, 101]));
        Assert.Equal("hello!", tok.Decode([100, 12, 8, 101], skipSpecialTokens: true));
        Assert.Equal(101, tok.TokenToId("<|end|>"));
    }

    [Fact]
    public void NfcNormalizesBeforeByteMapping()
    {
        // "e" + U+0301 -> NFC "é" = UTF-8 C3 A9 -> byte-level "Ã©" -(Ã ©)-> 23.
        var tok = ByteLevelBpeTokenizer.Load(Write());
        Assert.Equal([23], tok.Encode("e\u0301"));
        Assert.Equal("é", tok.Decode([23]));
        Assert.Equal("é", tok.Decode([21, 22])); // bytes C3, A9 as separate tokens
        var raw = ByteLevelBpeTokenizer.Load(Write(nfc: false));
        Assert.Throws<InvalidDataException>(() => raw.Encode("e\u0301")); // CC 81 bytes are not in this toy vocabulary
    }

    [Fact]
    public void IgnoreMergesTakesWholeWordsFromTheVocabulary()
    {
        // "Ġworld" (27) is in the vocabulary but unreachable by merges; with ignore_merges the whole piece wins.
        Assert.Equal([15, 2, 7], ByteLevelBpeTokenizer.Load(Write()).Encode(" world"));
        Assert.Equal([27], ByteLevelBpeTokenizer.Load(Write(ignoreMerges: true)).Encode(" world"));
    }

    [Fact]
    public void ByteAlphabetMatchesGpt2()
    {
        Assert.Equal('Ġ', ByteLevelAlphabet.Encode((byte)' '));
        Assert.Equal('Ċ', ByteLevelAlphabet.Encode((byte)'\n'));
        Assert.Equal('!', ByteLevelAlphabet.Encode((byte)'!'));
        Assert.Equal('\u0100', ByteLevelAlphabet.Encode(0));
        Assert.Equal('\u0143', ByteLevelAlphabet.Encode(0xAD)); // the 68th remapped byte
    }

    [Fact]
    public void UnsupportedModelTypeIsANamedError() =>
        Assert.Contains("WordPiece", Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write(modelType: "WordPiece"))).Message);
}
