using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Generation.Embedded;

/// <summary>
/// The proof on a real trained checkpoint: karpathy's tinyllamas stories260K (bundled, data/models/tinyllamas-stories260K),
/// imported into the HF-layout TorchSharp decoder, greedy-decodes exactly what run.c computes for that file
/// (TestData/golden/tinyllamas-stories260K, made by tools/llama2c-goldens/regenerate.sh).
/// </summary>
public class Stories260KTests(Xunit.Abstractions.ITestOutputHelper output)
{

    static readonly string Golden260K = Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "tinyllamas-stories260K");
    static readonly string Bin = Path.Combine(KitPaths.TinyStories260K, "stories260K.bin");
    // The plain-C# run.c port is the slow part; compute its 200 greedy steps once for all tests.
    static readonly Lazy<(List<int> Tokens, List<float[]> Logits)> Reference = new(() => new Llama2cReference(Bin).Greedy(200));

    static int[] Golden() =>
        File.ReadAllText(Path.Combine(Golden260K, "greedy-ids.txt")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();

    [Fact]
    public void ReferencePortReproducesCompiledRunC()
    {
        var golden = Golden();
        Assert.Equal(200, golden.Length); // `run -t 0 -n 200`: 200 steps, no BOS emitted on the way
        var (tokens, _) = Reference.Value;
        Assert.Equal(golden, tokens);
    }

    [Fact]
    public void DecoderGreedyMatchesRunCTokensAndLogits()
    {
        var golden = Golden();
        var (refTokens, refLogits) = Reference.Value;
        using var model = HfCheckpoint.Load(Bin);
        var result = new DecoderGenerator(model).Generate([[Llama2cCheckpoint.Bos]],
            new SamplingOptions { MaxNewTokens = 200, StopTokens = [Llama2cCheckpoint.Bos] });
        Assert.Equal(golden, result[0].Tokens);
        Assert.Equal(refTokens, result[0].Tokens);

        // Logits of the whole sequence in one pass (no cache) against the reference's step-by-step logits.
        using var scope = NewDisposeScope();
        var seq = new[] { (long)Llama2cCheckpoint.Bos }.Concat(refTokens.Take(refLogits.Count - 1).Select(t => (long)t)).ToArray();
        var logits = model.Forward(tensor(seq, [1, seq.Length]), arange(seq.Length).unsqueeze(0));
        var ours = logits[0].data<float>().ToArray();
        // Both sides are float32 with different summation orders; differences grow slowly with position. Bound them
        // relative to the logits' scale (1e-5 of the largest |logit|, at most ~1e-4 absolute here).
        double maxDiff = 0, scale = 0;
        for (var p = 0; p < refLogits.Count; p++)
            for (var v = 0; v < refLogits[p].Length; v++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[p * refLogits[p].Length + v] - refLogits[p][v]));
                scale = Math.Max(scale, Math.Abs(refLogits[p][v]));
            }
        output.WriteLine($"max |logit difference| {maxDiff:E3} over {refLogits.Count} positions; largest |logit| {scale:F3}");
        Assert.True(maxDiff <= 1e-5 * scale, $"max |logit difference| {maxDiff}, largest |logit| {scale}");
    }

    [Fact]
    public void ExportToHfLayoutAndBackGivesIdenticalLogits()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hn-stories260K-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var model = HfCheckpoint.Load(Bin);
            HfCheckpoint.Save(model, dir);
            using var loaded = HfCheckpoint.Load(dir);
            Assert.Equal(model.Config, loaded.Config with { EosTokenIds = model.Config.EosTokenIds });
            Assert.Equal(model.Config.EosTokenIds, loaded.Config.EosTokenIds);
            using var scope = NewDisposeScope();
            var ids = tensor(new long[] { 1, 400, 300, 13, 461, 299, 2, 17 }, [1, 8]);
            var pos = arange(8).unsqueeze(0);
            var a = model.Forward(ids, pos);
            var b = loaded.Forward(ids, pos);
            Assert.True(a.eq(b).all().item<bool>(), "logits differ after a safetensors round trip");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RotateHalfPermutationMovesInterleavedPairsToHalves()
    {
        // One head of size 4, two columns: rows (0,1,2,3) = pairs (0,1),(2,3) -> halves order 0,2,1,3.
        float[] w = [0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f];
        Assert.Equal([0, 0.5f, 2, 2.5f, 1, 1.5f, 3, 3.5f], Llama2cCheckpoint.ToRotateHalf(w, heads: 1, headSize: 4, cols: 2));
    }

    [Fact]
    public void TruncatedCheckpointIsRejectedWithSizes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-trunc-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, File.ReadAllBytes(Bin)[..5000]);
            var e = Assert.Throws<InvalidDataException>(() => Llama2cCheckpoint.Read(path));
            Assert.Contains("5000 bytes", e.Message);
        }
        finally { File.Delete(path); }
    }
}
