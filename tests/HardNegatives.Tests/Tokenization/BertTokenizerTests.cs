using HardNegatives.Data;
using HardNegatives.Tokenization;

namespace HardNegatives.Tests.Tokenization;

/// <summary>Behaviour beyond the golden set; expected ids looked up by hand in data/vocab/bert-base-uncased/vocab.txt (line number − 1).</summary>
public class BertTokenizerTests
{
    static readonly Lazy<BertTokenizer> Lazy = new(() => new BertTokenizer(KitPaths.BertBaseUncasedVocab));
    static BertTokenizer Tok => Lazy.Value;
    const int Cls = 101, Sep = 102, Unk = 100, Hello = 7592, World = 2088;

    [Fact]
    public void GreedyLongestMatchUsesContinuationPieces()
    {
        Assert.Equal(new[] { "una", "##ffa", "##ble" }, Tok.Tokenize("unaffable"));
        Assert.Equal(new[] { 13360, 2050 }, Tok.TokenizeToIds("aaaa")); // aaa ##a
    }

    [Fact]
    public void WordsOverOneHundredCodePointsBecomeOneUnk()
    {
        Assert.Equal(50, Tok.TokenizeToIds(new string('a', 100)).Length); // aaa + 48 × ##aa + ##a
        Assert.Equal(new[] { Unk }, Tok.TokenizeToIds(new string('a', 101)));
    }

    [Fact]
    public void AWordWithAnUnmatchableRestIsOneUnkNotAPrefixPlusUnk() =>
        Assert.Equal(new[] { Hello, Unk }, Tok.TokenizeToIds("hello hello☃")); // ☃ is a symbol (So), not punctuation, and not in the vocabulary

    [Fact]
    public void ControlAndFormatCharactersAreDroppedWhitespaceSplits()
    {
        Assert.Equal(new[] { Hello }, Tok.TokenizeToIds("hel\0lo"));
        Assert.Equal(new[] { Hello }, Tok.TokenizeToIds("hel\u200Blo")); // zero-width space is Cf
        Assert.Equal(new[] { Hello }, Tok.TokenizeToIds("hel\uFFFDlo"));
        Assert.Equal(new[] { Hello, World }, Tok.TokenizeToIds("hello\u00A0\u2003world\r\n"));
    }

    [Fact]
    public void AccentsAreStrippedFromComposedAndDecomposedForms()
    {
        Assert.Equal(new[] { 7668 }, Tok.TokenizeToIds("Café"));
        Assert.Equal(new[] { 7668 }, Tok.TokenizeToIds("Cafe\u0301"));
    }

    [Fact]
    public void CjkIdeographsAndAsciiSymbolsAreSeparateTokens()
    {
        Assert.Equal(new[] { 1746, 1799 }, Tok.TokenizeToIds("中国"));
        Assert.Equal(new[] { 1002, 1019, 1009, 1017, 1034, 1016 }, Tok.TokenizeToIds("$5+3^2")); // $ + ^ are ASCII punctuation for BERT
    }

    [Fact]
    public void CapitalSigmaAlwaysLowercasesToSigma_CharacterByCharacter_AsHuggingFace()
    {
        // Reference: tokenizers' NormalizedString::lowercase maps each char with Rust's char::to_lowercase, which has no
        // context, so Σ -> σ even at a word end (str.lower would give ς). Expected ids are looked up in the vocabulary
        // for the pieces that rule produces, not hand-picked.
        var vocab = File.ReadLines(KitPaths.BertBaseUncasedVocab).Select((token, id) => (token, id)).ToDictionary(x => x.token, x => x.id);
        Assert.Equal(new[] { vocab["ε"], vocab["##σ"] }, Tok.TokenizeToIds("ΕΣ"));
        Assert.Equal(new[] { vocab["σ"] }, Tok.TokenizeToIds("Σ"));
        Assert.Equal(new[] { vocab["ε"], vocab["##σ"] }, Tok.TokenizeToIds("εΣ"));
        foreach (var text in new[] { "ΟΔΟΣ", "ΟΔΟΣ ΟΔΟΣ.", "ΣΑΣ", "Σ'Σ" })
            Assert.Equal(Tok.TokenizeToIds(string.Concat(text.Select(c => c == 'Σ' ? 'σ' : char.ToLowerInvariant(c)))), Tok.TokenizeToIds(text));
    }

    [Fact]
    public void SpecialTokensInTheTextAreSingleIdsWhenWrittenExactly()
    {
        Assert.Equal(new[] { Hello, Sep, World }, Tok.TokenizeToIds("hello [SEP] world"));
        Assert.Equal(new[] { Hello, 103, World, Sep }, Tok.TokenizeToIds("Hello[MASK]world[SEP]"));
        Assert.Equal(new[] { 1031, 19802, 1033 }, Tok.TokenizeToIds("[sep]")); // not the special token's spelling: [ sep ]
        Assert.Equal(new[] { 1031, Hello }, Tok.TokenizeToIds("[hello"));
    }

    [Fact]
    public void SingleEncodingAddsSpecialTokensAndTruncatesInside()
    {
        Assert.Equal(new[] { Cls, Hello, World, Sep }, Tok.Encode("Hello world"));
        Assert.Equal(new[] { Cls, Hello, Sep }, Tok.Encode("Hello world", maxLength: 3));
        Assert.Equal(new[] { Cls, Sep }, Tok.Encode(""));
    }

    [Fact]
    public void PairEncodingHasTypeIdsOneForTheSecondText()
    {
        var (ids, types) = Tok.EncodePair("hello", "world");
        Assert.Equal(new[] { Cls, Hello, Sep, World, Sep }, ids);
        Assert.Equal(new[] { 0, 0, 0, 1, 1 }, types);
    }

    [Theory]
    [InlineData(2, 2, 10, 2, 2)]   // fits
    [InlineData(10, 3, 8, 5, 3)]   // the short one fits in half: the long one gets the rest
    [InlineData(3, 10, 8, 3, 5)]
    [InlineData(8, 8, 10, 5, 5)]   // both over half: half each
    [InlineData(8, 8, 11, 5, 6)]   // odd budget on a tie: the second gets the extra token
    [InlineData(9, 7, 11, 6, 5)]   // odd budget: the longer (first) gets the extra token
    [InlineData(20, 30, 4, 2, 2)]  // both over the whole budget
    public void LongestFirstFollowsTheTokenizersCrate(int first, int second, int budget, int keepFirst, int keepSecond) =>
        Assert.Equal((keepFirst, keepSecond), BertTokenizer.LongestFirst(first, second, budget));

    [Fact]
    public void PairTruncationKeepsTheMaximumLength()
    {
        var (ids, types) = Tok.EncodePair("hello hello hello hello", "world world", maxLength: 7);
        Assert.Equal(new[] { Cls, Hello, Hello, Sep, World, World, Sep }, ids); // budget 4: 2 + 2
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1 }, types);
    }

    [Fact]
    public void BatchesPadOnTheRightToTheLongestRow()
    {
        var batch = Tok.EncodeBatch(["hello world", "hello"]);
        Assert.Equal((2, 4), (batch.BatchSize, batch.Length));
        Assert.Equal(new long[] { Cls, Hello, World, Sep, Cls, Hello, Sep, 0 }, batch.InputIds);
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, batch.AttentionMask);
        Assert.Equal(new long[8], batch.TokenTypeIds);
        Assert.Equal(new[] { 4, 3 }, batch.Lengths);
        Assert.Equal(new long[] { Cls, Hello, Sep }, batch.Row(1));
        using var t = batch.ToTensors();
        Assert.Equal(new long[] { 2, 4 }, t.InputIds.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, t.AttentionMask.dtype);
        Assert.Equal(7L, t.AttentionMask.sum().item<long>());
    }

    [Fact]
    public void LengthSortedBatchesCoverEveryTextOnceLongestFirst()
    {
        string[] texts = ["a", "hello world hello world", "hello", "hello world", "a b c"];
        var batches = LengthSortedBatches.Singles(Tok, texts, batchSize: 2).ToList();
        Assert.Equal(new[] { 2, 2, 1 }, batches.Select(b => b.Batch.BatchSize));
        Assert.Equal(new[] { 1, 4, 3, 0, 2 }, batches.SelectMany(b => b.Indices)); // lengths 6, 5, 4, 3, 3 (ties by position)
        foreach (var b in batches)
            for (int r = 0; r < b.Indices.Length; r++)
                Assert.Equal(Tok.Encode(texts[b.Indices[r]]).Select(i => (long)i), b.Batch.Row(r));
    }

    [Fact]
    public void TokenizerJsonVocabularyGivesTheSameIds()
    {
        var dir = Directory.CreateTempSubdirectory("hn-tok-").FullName;
        try
        {
            var vocab = WordPieceVocabulary.Load(KitPaths.BertBaseUncasedVocab);
            var json = "{\"model\":{\"type\":\"WordPiece\",\"vocab\":{" + string.Join(",", vocab.Tokens.Select((t, i) => $"{System.Text.Json.JsonSerializer.Serialize(t)}:{i}")) + "}}}";
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json);
            var fromJson = BertTokenizer.FromFolder(dir);
            Assert.Equal(vocab.Count, fromJson.Vocabulary.Count);
            Assert.Equal(Tok.Encode("Unaffable café, 中国!"), fromJson.Encode("Unaffable café, 中国!"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
