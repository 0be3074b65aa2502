using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using HardNegatives.Tests.Data;
using HardNegatives.Tests.Tokenization.Bpe;
using HardNegatives.Tokenization.Bpe;

namespace HardNegatives.Tests.Generation.LlamaCpp;

/// <summary>
/// <c>hn lm export-gguf</c> on a Hugging Face folder whose tokenizer.json is byte-level BPE (Qwen2/3, Llama 3, GPT-2 style;
/// trained in the test on SciFact abstracts, since no real one is bundled): llama.cpp, an independent implementation,
/// loads the GGUF and tokenizes every test string to the kit's ids, and detokenizes them back to the text.
/// </summary>
public sealed class ByteLevelGgufExportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    static readonly string[] Texts =
    [
        "Hello world! The cells' proteins weren't binding to the receptor.",
        "café naïve résumé Ångström façade Œuvre",
        "emoji 🙂🚀 and 中文字符 and ümlaut",
        "numbers 1234567 and 3.14159, 2026-12-02; 0.5% of 12,000",
        "   leading spaces and trailing  ",
        "tabs\tand\nnew\n\nlines\r\n  indented",
        "I'll we've they're IT'S she'd",
        "<think>hmm</think> ok",
        "",
    ];

    static IEnumerable<string> Corpus() =>
        DatasetLocator.Open("scifact").StreamCorpus().Take(300).Select(d => d.FullText).Concat(Texts);

    public static TheoryData<string> Styles => ["qwen3", "llama3", "gpt2"];

    static (DecoderConfig Config, ByteLevelBpeTrainer.Spec Spec, string Pre, string Bos, string Eos, string Special, int Padding) Style(string style) => style switch
    {
        // Qwen: NFC, digits one by one, no BOS added, an embedding padded past the tokenizer, <think> an added non-special token.
        "qwen3" => (Config(DecoderFamily.Qwen3), new(GgufByteLevelVocabulary.Qwen2Pattern, 400,
            [("<|endoftext|>", true), ("<|im_start|>", true), ("<|im_end|>", true), ("<think>", false)], Nfc: true), "qwen2", "<|endoftext|>", "<|im_end|>", "<|im_start|>", 5),
        // Llama 3: digits in threes, ignore_merges (whole-word vocabulary entries that merges never reach), BOS from the post-processor.
        "llama3" => (Config(DecoderFamily.Llama), new(GgufByteLevelVocabulary.Llama3Pattern, 400,
            [("<|begin_of_text|>", true), ("<|end_of_text|>", true), ("<|eot_id|>", true)], IgnoreMerges: true, PrependedToken: "<|begin_of_text|>",
            ExtraWholeWords: ["Ġreceptor", "Ġbinding", "Ġfaçade".Replace("ç", "Ã§")]), "llama-bpe", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", 0),
        "gpt2" => (Config(DecoderFamily.Qwen2), new(ByteLevelBpeTokenizer.Gpt2Pattern, 300, [("<|endoftext|>", true)]), "gpt-2", "<|endoftext|>", "<|endoftext|>", "<|endoftext|>", 0),
        _ => throw new ArgumentException(style),
    };

    static DecoderConfig Config(DecoderFamily family) => new()
    {
        Family = family, HiddenSize = 64, IntermediateSize = 128, NumLayers = 1, NumHeads = 2, NumKvHeads = 1, HeadDim = 32,
        VocabSize = 0, MaxPositionEmbeddings = 256, RmsNormEps = 1e-6, RopeTheta = 10000, TieWordEmbeddings = true,
        AttentionBias = family == DecoderFamily.Qwen2,
    };

    [Theory]
    [MemberData(nameof(Styles))]
    public void LlamaCppTokenizesAndDetokenizesLikeTheKit(string style)
    {
        var (config, spec, pre, bosText, eosText, special, padding) = Style(style);
        var dir = Directory.CreateTempSubdirectory($"hn-bpe-gguf-{style}-").FullName;
        try
        {
            var tokenizerJson = Path.Combine(dir, "tokenizer.json");
            File.WriteAllText(tokenizerJson, ByteLevelBpeTrainer.Train(Corpus(), spec).ToJsonString());
            var ours = ByteLevelBpeTokenizer.Load(tokenizerJson);
            var bos = ours.TokenToId(bosText)!.Value;
            config = config with { VocabSize = ours.VocabSize + padding, BosTokenId = bos, EosTokenIds = [ours.TokenToId(eosText)!.Value] };
            var weights = RandomDecoderWeights.Create(config, seed: 5);
            using (var model = new DecoderModel(config, weights)) HfCheckpoint.Save(model, dir);
            foreach (var t in weights.Values) t.Dispose();

            // Through the CLI, as a user would: the folder's tokenizer.json is found beside the weights.
            var gguf = Path.Combine(dir, "model.gguf");
            var export = HnCli.Run("lm", "export-gguf", "--checkpoint", dir, "--output", gguf);
            Assert.True(export.ExitCode == 0, export.StdErr);

            using (var f = HardNegatives.Models.Checkpoints.Gguf.GgufFile.Open(gguf))
            {
                Assert.Equal("gpt2", f.Metadata["tokenizer.ggml.model"]);
                Assert.Equal(pre, f.Metadata["tokenizer.ggml.pre"]);
                Assert.Equal((uint)bos, f.Metadata["tokenizer.ggml.bos_token_id"]);
                Assert.Equal(ours.Merges.Count, ((string[])f.Metadata["tokenizer.ggml.merges"]).Length);
            }

            using var llama = LlamaCppModel.Load(gguf, new LlamaCppOptions(Threads: 1));
            Assert.Equal(config.VocabSize, llama.VocabSize);
            Assert.Equal(bos, llama.Bos);
            var fromGguf = (ByteLevelBpeTokenizer)GgufCheckpoint.ReadTokenizer(gguf)!;
            string[] texts = [.. Texts, $"{special}user\nHello, 42 worlds!{eosText}", $"x{bosText}y"];
            foreach (var text in texts)
            {
                var ids = ours.Encode(text);
                output.WriteLine($"{style} {text.ReplaceLineEndings("⏎")}: {string.Join(' ', ids)}");
                Assert.Equal(ids, llama.Tokenize(text, addBos: false, special: true));
                Assert.Equal(ids, fromGguf.Encode(text));
                Assert.Equal(text, ours.Decode(ids));
                Assert.Equal(text, llama.Detokenize(ids));
            }
            // llama.cpp adds BOS exactly when the tokenizer's post-processor does (Llama 3 yes, Qwen and GPT-2 no).
            var withBos = llama.Tokenize("Hello world", addBos: true, special: true);
            Assert.Equal(ours.PrependedSpecialToken is { } b ? [b, .. ours.Encode("Hello world")] : ours.Encode("Hello world"), withBos);
            if (spec.IgnoreMerges) Assert.Contains(ours.TokenToId("Ġreceptor")!.Value, ours.Encode(Texts[0])); // whole word, not reachable by merges
            if (padding > 0) Assert.Null(fromGguf.IdToToken(config.VocabSize - 1));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ASplitRegexLlamaCppHasNoNameForIsRefusedByName()
    {
        var dir = Directory.CreateTempSubdirectory("hn-bpe-gguf-bad-").FullName;
        try
        {
            var path = Path.Combine(dir, "tokenizer.json");
            File.WriteAllText(path, ByteLevelBpeTrainer.Train(Texts, new(@"\p{L}+|\p{N}+|[^\p{L}\p{N}]+", 20, [])).ToJsonString());
            var e = Assert.Throws<NotSupportedException>(() => GgufByteLevelVocabulary.PreTokenizerName(ByteLevelBpeTokenizer.Load(path)));
            Assert.Contains(@"\p{L}+|\p{N}+|[^\p{L}\p{N}]+", e.Message);
            Assert.Contains("qwen2", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
