using HardNegatives.Generation.Embedded;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Generation.Embedded;

public class DecoderGeneratorTests
{
    static DecoderModel Model(DecoderFamily family = DecoderFamily.Qwen3, long seed = 21)
    {
        using var scope = NewDisposeScope();
        var config = DecoderFamilyTests.Small(family) with { VocabSize = 64 };
        return new DecoderModel(config, RandomDecoderWeights.Create(config, seed, std: 0.3));
    }

    static readonly int[][] Prompts = [[1, 5, 9, 13, 40, 41, 7], [1, 22], [1, 60, 2, 33]];

    [Fact]
    public void BatchedLeftPaddedGenerationEqualsOnePromptAtATime()
    {
        using var model = Model();
        var gen = new DecoderGenerator(model);
        var options = new SamplingOptions { MaxNewTokens = 12 };
        var batched = gen.Generate(Prompts, options);
        for (var i = 0; i < Prompts.Length; i++)
            Assert.Equal(gen.Generate([Prompts[i]], options)[0].Tokens, batched[i].Tokens);
        // The prompts really produce different continuations (so the comparison can fail).
        Assert.NotEqual(batched[0].Tokens, batched[1].Tokens);
    }

    [Fact]
    public void LeftPaddedLogitsMatchUnpaddedLogits()
    {
        using var model = Model(DecoderFamily.Llama);
        using var scope = NewDisposeScope();
        // Row 0: 3 pads then [1, 8, 3]; row 1 unpadded [1, 8, 3] alone. Positions count real tokens only.
        var padded = model.Forward(tensor(new long[] { 0, 0, 0, 1, 8, 3 }, [1, 6]), tensor(new long[] { 1, 1, 1, 0, 1, 2 }, [1, 6]),
            tensor(new[] { false, false, false, true, true, true }, [1, 6]));
        var plain = model.Forward(tensor(new long[] { 1, 8, 3 }, [1, 3]), arange(3).unsqueeze(0));
        Assert.True(padded.narrow(1, 3, 3).allclose(plain, 1e-5, 1e-5));
    }

    [Fact]
    public void KvCacheDecodingEqualsFullRecompute()
    {
        using var model = Model(DecoderFamily.Phi3);
        using var scope = NewDisposeScope();
        var prompt = new long[] { 1, 17, 4, 29 };
        using var cache = new KvCache(model.Config, 1, 16, ScalarType.Float32, CPU);
        var seq = prompt.ToList();
        var logits = model.Forward(tensor(prompt, [1, 4]), arange(4).unsqueeze(0), cache: cache, lastPositionOnly: true);
        for (var step = 0; step < 8; step++)
        {
            var full = model.Forward(tensor(seq.ToArray(), [1, seq.Count]), arange(seq.Count).unsqueeze(0));
            Assert.True(logits[0, -1].allclose(full[0, -1], 1e-5, 1e-5), $"step {step}");
            var next = logits[0, -1].argmax().item<long>();
            seq.Add(next);
            logits = model.Forward(tensor(new[] { next }, [1, 1]), tensor(new long[] { seq.Count - 1 }, [1, 1]), cache: cache, lastPositionOnly: true);
        }
        Assert.Equal(12, cache.Length);
    }

    [Fact]
    public void StopTokensEndSequencesAndAreNotReturned()
    {
        using var model = Model();
        var gen = new DecoderGenerator(model);
        var free = gen.Generate(Prompts, new SamplingOptions { MaxNewTokens = 10 });
        var stop = free[0].Tokens[3];
        var stopped = gen.Generate(Prompts, new SamplingOptions { MaxNewTokens = 10, StopTokens = [stop] });
        var firstStop = free[0].Tokens.ToList().IndexOf(stop);
        Assert.Equal(free[0].Tokens.Take(firstStop), stopped[0].Tokens);
        Assert.Equal(FinishReason.Stop, stopped[0].FinishReason);
        Assert.All(free, s => Assert.Equal(10, s.Tokens.Count));
        Assert.All(free, s => Assert.Equal(FinishReason.Length, s.FinishReason));
    }

    [Fact]
    public void SeededSamplingIsReproducibleAndSeedDependent()
    {
        using var model = Model();
        var gen = new DecoderGenerator(model);
        SamplingOptions Opt(long seed) => new() { MaxNewTokens = 20, Temperature = 1.5, TopP = 0.95, TopK = 40, Seed = seed };
        var a = gen.Generate(Prompts, Opt(5));
        var b = gen.Generate(Prompts, Opt(5));
        var c = gen.Generate(Prompts, Opt(6));
        for (var i = 0; i < Prompts.Length; i++) Assert.Equal(a[i].Tokens, b[i].Tokens);
        Assert.NotEqual(a.SelectMany(s => s.Tokens), c.SelectMany(s => s.Tokens));
    }

    [Fact]
    public void TopKOneAndTinyTopPAreGreedy()
    {
        using var model = Model();
        var gen = new DecoderGenerator(model);
        var greedy = gen.Generate(Prompts, new SamplingOptions { MaxNewTokens = 8 });
        var topK1 = gen.Generate(Prompts, new SamplingOptions { MaxNewTokens = 8, Temperature = 1, TopK = 1, Seed = 3 });
        var topPTiny = gen.Generate(Prompts, new SamplingOptions { MaxNewTokens = 8, Temperature = 1, TopP = 1e-6, Seed = 3 });
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(greedy[i].Tokens, topK1[i].Tokens);
            Assert.Equal(greedy[i].Tokens, topPTiny[i].Tokens);
        }
    }

    [Fact]
    public void TopPKeepsTheSmallestNucleus()
    {
        // probabilities 0.5, 0.3, 0.15, 0.05: top-p 0.7 keeps {0, 1}; HF removes tokens whose ascending cumulative
        // probability is <= 0.3 (tokens 3 and 2: 0.05, 0.20), keeps token 1 (0.50) and 0.
        using var scope = NewDisposeScope();
        var logits = tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f }).log().unsqueeze(0).expand(4000, 4).contiguous();
        using var sampler = new TokenSampler(new SamplingOptions { Temperature = 1, TopP = 0.7, Seed = 1 }, CPU);
        var draws = sampler.Next(logits).data<long>().ToArray();
        Assert.All(draws, d => Assert.InRange(d, 0, 1));
        var share0 = draws.Count(d => d == 0) / 4000.0; // renormalised: 0.5 / 0.8 = 0.625
        Assert.InRange(share0, 0.58, 0.67);
    }

    [Fact]
    public void GenerationDoesNotLeakTensors()
    {
        using var model = Model();
        var gen = new DecoderGenerator(model);
        gen.Generate(Prompts, new SamplingOptions { MaxNewTokens = 4 });
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount; // per thread: other test classes run in parallel
        gen.Generate(Prompts, new SamplingOptions { MaxNewTokens = 6, Temperature = 1, Seed = 1 });
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

public class BFloat16Tests
{
    [Fact]
    public void BFloat16ModelTracksFloat32Logits()
    {
        // The CUDA default dtype, exercised on the CPU: same weights, logits agree to bf16 precision, no NaNs with padding.
        using var scope = NewDisposeScope();
        var config = DecoderFamilyTests.Small(DecoderFamily.Qwen3) with { VocabSize = 64 };
        var w = RandomDecoderWeights.Create(config, 4, std: 0.1);
        using var f32 = new DecoderModel(config, w);
        using var bf16 = new DecoderModel(config, w, dtype: ScalarType.BFloat16);
        var ids = tensor(new long[] { 0, 0, 1, 9, 30, 2, 1, 5, 6, 7 }, [2, 5]);
        var pos = tensor(new long[] { 1, 1, 0, 1, 2, 0, 1, 2, 3, 4 }, [2, 5]);
        var mask = tensor(new[] { false, false, true, true, true, true, true, true, true, true }, [2, 5]);
        var a = f32.Forward(ids, pos, mask);
        var b = bf16.Forward(ids, pos, mask);
        Assert.Equal(ScalarType.Float32, b.dtype);
        Assert.False(b.isnan().any().item<bool>());
        var maxDiff = (a - b).abs().max().item<float>();
        Assert.True(maxDiff < 0.05f, $"bf16 vs f32 max |diff| {maxDiff}");
        var generated = new DecoderGenerator(bf16).Generate([[1, 9, 30], [1, 5, 6, 7, 8]], new SamplingOptions { MaxNewTokens = 5 });
        Assert.All(generated, g => Assert.Equal(5, g.Tokens.Count));
    }
}
