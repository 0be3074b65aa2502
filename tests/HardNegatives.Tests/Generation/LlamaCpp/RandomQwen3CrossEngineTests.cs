using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using HardNegatives.Tokenization.SentencePiece;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Generation.LlamaCpp;

/// <summary>
/// A random-init Qwen3-shaped decoder (per-head q/k RMSNorm, head_dim ≠ hidden/heads, grouped KV, tied embeddings,
/// rope theta 1e6) exported to GGUF F32: llama.cpp and the TorchSharp decoder give the same logits and 64 greedy ids.
/// </summary>
public class RandomQwen3CrossEngineTests(Xunit.Abstractions.ITestOutputHelper output)
{
    static DecoderConfig Config => new()
    {
        Family = DecoderFamily.Qwen3, HiddenSize = 128, IntermediateSize = 384, NumLayers = 3, NumHeads = 4, NumKvHeads = 2, HeadDim = 64,
        VocabSize = 512, MaxPositionEmbeddings = 256, RmsNormEps = 1e-6, RopeTheta = 1_000_000, TieWordEmbeddings = true, BosTokenId = 1, EosTokenIds = [2],
    };

    [Fact]
    public void LogitsAgreeAndGreedyIdsMatchFor64Tokens()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-qwen3-{Guid.NewGuid():N}.gguf");
        try
        {
            // std 0.1 rather than 0.02 so the random model's logits are spread enough for argmax to be well defined.
            var weights = RandomDecoderWeights.Create(Config, seed: 3, std: 0.1);
            using var torchModel = new DecoderModel(Config, weights);
            GgufCheckpoint.Save(Config, weights, Llama2cTokenizerFile.Read(Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), 512), path);
            foreach (var t in weights.Values) t.Dispose();

            using var llama = LlamaCppModel.Load(path, new LlamaCppOptions(Threads: 1));
            int[] prompt = [1, 300, 301, 302, 17, 400];
            var greedy = new SamplingOptions { MaxNewTokens = 64 };
            var theirs = new LlamaCppGenerator(llama).Generate([prompt], greedy)[0].Tokens;
            var ours = new DecoderGenerator(torchModel).Generate([prompt], greedy)[0].Tokens;
            Assert.Equal(64, ours.Count);
            Assert.Equal(ours, theirs);

            // Logits of the prompt plus the generated ids, in one pass on each engine.
            int[] seq = [.. prompt, .. ours.Take(58)];
            llama.Reset();
            var a = llama.Decode(seq, allLogits: true);
            using var scope = NewDisposeScope();
            var b = torchModel.Forward(tensor(seq.Select(i => (long)i).ToArray(), [1, seq.Length]), arange(seq.Length).unsqueeze(0))[0].data<float>().ToArray();
            double maxDiff = 0, scale = 0;
            for (var p = 0; p < seq.Length; p++)
                for (var v = 0; v < 512; v++)
                {
                    maxDiff = Math.Max(maxDiff, Math.Abs(a[p][v] - b[p * 512 + v]));
                    scale = Math.Max(scale, Math.Abs(b[p * 512 + v]));
                }
            output.WriteLine($"max |logit difference| {maxDiff:E3} over {seq.Length} positions; largest |logit| {scale:F3}");
            // Float32 on both sides, different kernels and summation orders: 1e-4 of the logit scale bounds it with margin.
            Assert.True(maxDiff <= 1e-4 * scale, $"max |logit difference| {maxDiff}, largest |logit| {scale}");
        }
        finally { File.Delete(path); }
    }
}
