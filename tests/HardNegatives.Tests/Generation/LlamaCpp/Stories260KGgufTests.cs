using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using HardNegatives.Models.Checkpoints.Gguf;
using HardNegatives.Tokenization.SentencePiece;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Generation.LlamaCpp;

/// <summary>
/// Cross-engine proof on the bundled stories260K: its GGUF export, loaded by llama.cpp (LLamaSharp) and by the kit's
/// TorchSharp decoder, greedy-decodes the 200 ids that a compiled run.c gives (TestData/golden/tinyllamas-stories260K).
/// </summary>
public sealed class Stories260KGgufTests(Xunit.Abstractions.ITestOutputHelper output, Stories260KGgufTests.Export fixture) : IClassFixture<Stories260KGgufTests.Export>
{
    /// <summary>One F32 export for all tests in the class.</summary>
    public sealed class Export : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hn-stories260K-{Guid.NewGuid():N}.gguf");

        public Export()
        {
            var (config, weights) = Llama2cCheckpoint.Read(System.IO.Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"));
            try { GgufCheckpoint.Save(config, weights, Tokenizer(), Path); }
            finally { foreach (var t in weights.Values) t.Dispose(); }
        }

        public void Dispose() => File.Delete(Path);
    }

    static SentencePieceBpeTokenizer Tokenizer() => Llama2cTokenizerFile.Read(Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), 512);

    static int[] Golden(string file) =>
        [.. File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "tinyllamas-stories260K", file)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];

    static SamplingOptions Greedy(int n) => new() { MaxNewTokens = n, StopTokens = [Llama2cCheckpoint.Bos] };

    [Fact]
    public void LlamaCppGivesRunCGreedyIds()
    {
        using var model = LlamaCppModel.Load(Fixture.Path, new LlamaCppOptions(Threads: 1));
        Assert.Equal(512, model.VocabSize);
        var result = new LlamaCppGenerator(model).Generate([[Llama2cCheckpoint.Bos]], Greedy(200));
        Assert.Equal(Golden("greedy-ids.txt"), result[0].Tokens);
    }

    [Fact]
    public void TwoPromptsDecodedTogetherAsParallelSequencesGiveRunCIds()
    {
        using var model = LlamaCppModel.Load(Fixture.Path, new LlamaCppOptions(ContextSize: 512, Threads: 1, Sequences: 2));
        var lily = new[] { Llama2cCheckpoint.Bos }.Concat(Tokenizer().Encode("Lily wanted")).ToList();
        var result = new LlamaCppGenerator(model).Generate([lily, [Llama2cCheckpoint.Bos]], Greedy(61));
        Assert.Equal(Golden("prompt-ids.txt"), result[0].Tokens);
        Assert.Equal(Golden("greedy-ids.txt").Take(61), result[1].Tokens);
    }

    [Fact]
    public void TorchSharpDecoderLoadsTheGgufAndGivesRunCGreedyIds()
    {
        using var model = HfCheckpoint.Load(Fixture.Path);
        Assert.Equal(512, model.Config.MaxPositionEmbeddings);
        var result = new DecoderGenerator(model).Generate([[Llama2cCheckpoint.Bos]], Greedy(200));
        Assert.Equal(Golden("greedy-ids.txt"), result[0].Tokens);
    }

    [Fact]
    public void PromptEncodedWithTheGgufVocabularyGivesRunCPromptIds()
    {
        var tokenizer = GgufCheckpoint.ReadTokenizer(Fixture.Path)!;
        var prompt = new[] { Llama2cCheckpoint.Bos }.Concat(tokenizer.Encode("Lily wanted")).ToList();
        Assert.Equal([Llama2cCheckpoint.Bos, .. Tokenizer().Encode("Lily wanted")], prompt);
        using var model = LlamaCppModel.Load(Fixture.Path, new LlamaCppOptions(Threads: 1));
        var result = new LlamaCppGenerator(model).Generate([prompt], Greedy(61));
        Assert.Equal(Golden("prompt-ids.txt"), result[0].Tokens);
    }

    [Fact]
    public void LogitsOfBothEnginesAgree()
    {
        var ids = new[] { Llama2cCheckpoint.Bos }.Concat(Golden("greedy-ids.txt").Take(63)).ToArray();
        using var llama = LlamaCppModel.Load(Fixture.Path, new LlamaCppOptions(Threads: 1));
        var ours = llama.Decode(ids, allLogits: true);
        using var torchModel = HfCheckpoint.Load(Fixture.Path);
        using var scope = NewDisposeScope();
        var theirs = torchModel.Forward(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]), arange(ids.Length).unsqueeze(0))[0].data<float>().ToArray();
        double maxDiff = 0, scale = 0;
        for (var p = 0; p < ids.Length; p++)
            for (var v = 0; v < 512; v++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[p][v] - theirs[p * 512 + v]));
                scale = Math.Max(scale, Math.Abs(theirs[p * 512 + v]));
            }
        output.WriteLine($"max |logit difference| {maxDiff:E3} over {ids.Length} positions; largest |logit| {scale:F3}");
        // Both float32 (f32 KV cache, no flash attention); only summation order differs. 1e-4 of the logit scale.
        Assert.True(maxDiff <= 1e-4 * scale, $"max |logit difference| {maxDiff}, largest |logit| {scale}");
    }

    [Fact]
    public void F16ExportStaysWithinHalfPrecisionOfTheF32Weights()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-stories260K-f16-{Guid.NewGuid():N}.gguf");
        try
        {
            var (config, weights) = Llama2cCheckpoint.Read(Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"));
            try { GgufCheckpoint.Save(config, weights, Tokenizer(), path, GgmlType.F16); }
            finally { foreach (var t in weights.Values) t.Dispose(); }
            Assert.True(new FileInfo(path).Length < new FileInfo(Fixture.Path).Length * 0.6);
            var (c16, w16) = GgufCheckpoint.Read(path);
            var (c32, w32) = GgufCheckpoint.Read(Fixture.Path);
            Assert.Equal(c32, c16 with { EosTokenIds = c32.EosTokenIds });
            foreach (var (name, t) in w32)
            {
                var rel = (w16[name] - t).abs().max().item<float>() / Math.Max(t.abs().max().item<float>(), 1e-12f);
                Assert.True(rel <= 1e-3, $"{name}: relative difference {rel} after float16");
            }
            foreach (var t in w16.Values.Concat(w32.Values)) t.Dispose();
            using var model = LlamaCppModel.Load(path, new LlamaCppOptions(Threads: 1));
            var ids = new LlamaCppGenerator(model).Generate([[Llama2cCheckpoint.Bos]], Greedy(16))[0].Tokens;
            Assert.Equal(16, ids.Count);
        }
        finally { File.Delete(path); }
    }

    Export Fixture => fixture;
}

/// <summary>Export from a Hugging Face folder whose tokenizer is a SentencePiece-BPE tokenizer.json.</summary>
public sealed class HfFolderGgufExportTests
{
    [Fact]
    public void HfFolderWithTokenizerJsonExportsAGgufThatLlamaCppTokenizesAndDecodesLikeRunC()
    {
        var dir = Directory.CreateTempSubdirectory("hn-hf-s260k-").FullName;
        try
        {
            using (var model = HfCheckpoint.Load(Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"))) HfCheckpoint.Save(model, dir);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "hf-sentencepiece-tok512", "tokenizer.json"), Path.Combine(dir, "tokenizer.json"));
            var gguf = Path.Combine(dir, "model.gguf");
            var (config, weights) = HfCheckpoint.Read(dir);
            var tokenizer = (SentencePieceBpeTokenizer)DecoderTokenizerLocator.Find(dir, null, config.VocabSize)!;
            try { GgufCheckpoint.Save(config, weights, tokenizer, gguf); }
            finally { foreach (var t in weights.Values) t.Dispose(); }

            using var llama = LlamaCppModel.Load(gguf, new LlamaCppOptions(Threads: 1));
            var prompt = llama.Tokenize("Lily wanted", addBos: true);
            Assert.Equal([Llama2cCheckpoint.Bos, .. tokenizer.Encode("Lily wanted")], prompt);
            var ids = new LlamaCppGenerator(llama).Generate([prompt], new SamplingOptions { MaxNewTokens = 61, StopTokens = [Llama2cCheckpoint.Bos] })[0].Tokens;
            var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "tinyllamas-stories260K", "prompt-ids.txt"))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse);
            Assert.Equal(golden, ids);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
