using HardNegatives.Generation.Embedded;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Generation.Embedded;

/// <summary>Random-weight checks of each family's special parts against the double-precision HF transcription.</summary>
public class DecoderFamilyTests
{
    internal static DecoderConfig Small(DecoderFamily family, int heads = 4, int kvHeads = 2) => new()
    {
        Family = family, HiddenSize = 32, IntermediateSize = 48, NumLayers = 2, NumHeads = heads, NumKvHeads = kvHeads,
        HeadDim = 8, VocabSize = 50, MaxPositionEmbeddings = 64, RmsNormEps = 1e-6, RopeTheta = 10000, BosTokenId = 1, EosTokenIds = [2],
    };

    static readonly int[] Tokens = [1, 7, 22, 3, 49, 0, 15, 15, 8, 31];

    static void AssertMatchesReference(DecoderConfig config, double[]? invFreq = null, long seed = 1)
    {
        using var scope = NewDisposeScope();
        var checkpoint = RandomDecoderWeights.Create(config, seed, std: 0.2);
        var reference = new HfDecoderReference(config, checkpoint, invFreq ?? HfDecoderReference.DefaultInvFreq(config)).Forward(Tokens);
        using var model = new DecoderModel(config, checkpoint);
        var logits = model.Forward(tensor(Tokens.Select(t => (long)t).ToArray(), [1, Tokens.Length]), arange(Tokens.Length).unsqueeze(0))[0];
        var ours = logits.data<float>().ToArray();
        var maxDiff = 0.0;
        for (var t = 0; t < Tokens.Length; t++)
            for (var v = 0; v < config.VocabSize; v++)
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[t * config.VocabSize + v] - reference[t][v]));
        Assert.True(maxDiff < 2e-4, $"{config.Family}: max |logit difference| {maxDiff}");
    }

    [Fact]
    public void LlamaWithGqaMatchesReference() => AssertMatchesReference(Small(DecoderFamily.Llama));

    [Fact]
    public void LlamaUntiedWithAttentionBiasMatchesReference() => AssertMatchesReference(Small(DecoderFamily.Llama) with { AttentionBias = true });

    [Fact]
    public void Qwen2QkvBiasMatchesReference() => AssertMatchesReference(Small(DecoderFamily.Qwen2) with { AttentionBias = true, TieWordEmbeddings = true });

    [Fact]
    public void Qwen3QkNormAndExplicitHeadDimMatchReference() =>
        AssertMatchesReference(Small(DecoderFamily.Qwen3) with { HeadDim = 12, TieWordEmbeddings = true }); // 4 heads * 12 != hidden 32

    [Fact]
    public void Qwen3WithAttentionBiasMatchesReference() =>
        AssertMatchesReference(Small(DecoderFamily.Qwen3) with { AttentionBias = true });

    [Fact]
    public void Phi3FusedProjectionsWithPartialRotaryMatchReference() =>
        AssertMatchesReference(Small(DecoderFamily.Phi3) with { PartialRotaryFactor = 0.75 }); // rotary_dim 6 of head_dim 8

    [Fact]
    public void Qwen3QkNormChangesTheOutput()
    {
        // The q/k norm weights are live: scaling them changes logits (so the reference comparison above can fail).
        using var scope = NewDisposeScope();
        var config = Small(DecoderFamily.Qwen3);
        var ckpt = RandomDecoderWeights.Create(config, 3, std: 0.2);
        using var a = new DecoderModel(config, ckpt);
        ckpt["model.layers.0.self_attn.q_norm.weight"] = ckpt["model.layers.0.self_attn.q_norm.weight"] * 3;
        using var b = new DecoderModel(config, ckpt);
        var ids = tensor(new long[] { 1, 5, 9, 4 }, [1, 4]);
        var pos = arange(4).unsqueeze(0);
        Assert.False(a.Forward(ids, pos).allclose(b.Forward(ids, pos), 1e-3, 1e-3));
    }

    [Fact]
    public void Phi3FusedEqualsLlamaWithSplitWeights()
    {
        using var scope = NewDisposeScope();
        var phi = Small(DecoderFamily.Phi3);
        var fused = RandomDecoderWeights.Create(phi, 5, std: 0.2);
        var llama = phi with { Family = DecoderFamily.Llama };
        var split = new Dictionary<string, Tensor>(fused);
        for (var l = 0; l < phi.NumLayers; l++)
        {
            // Split by hand: rows [q | k | v] = [32 | 16 | 16]; gate_up rows [gate | up] = [48 | 48].
            var p = $"model.layers.{l}.";
            var qkv = split[p + "self_attn.qkv_proj.weight"];
            split[p + "self_attn.q_proj.weight"] = qkv[..32];
            split[p + "self_attn.k_proj.weight"] = qkv[32..48];
            split[p + "self_attn.v_proj.weight"] = qkv[48..64];
            var gu = split[p + "mlp.gate_up_proj.weight"];
            split[p + "mlp.gate_proj.weight"] = gu[..48];
            split[p + "mlp.up_proj.weight"] = gu[48..96];
            split.Remove(p + "self_attn.qkv_proj.weight");
            split.Remove(p + "mlp.gate_up_proj.weight");
        }
        using var a = new DecoderModel(phi, fused);
        using var b = new DecoderModel(llama, split);
        var ids = tensor(Tokens.Select(t => (long)t).ToArray(), [1, Tokens.Length]);
        var pos = arange(Tokens.Length).unsqueeze(0);
        Assert.True(a.Forward(ids, pos).eq(b.Forward(ids, pos)).all().item<bool>());
    }

    [Fact]
    public void GqaEqualsMhaWithRepeatedKvWeights()
    {
        using var scope = NewDisposeScope();
        var gqa = Small(DecoderFamily.Llama, heads: 4, kvHeads: 2);
        var mha = gqa with { NumKvHeads = 4 };
        var w = RandomDecoderWeights.Create(gqa, 7, std: 0.2);
        var repeated = new Dictionary<string, Tensor>(w);
        for (var l = 0; l < gqa.NumLayers; l++)
            foreach (var n in new[] { "k_proj", "v_proj" })
            {
                // Query head h reads kv head h / 2: kv rows [kv0, kv1] become [kv0, kv0, kv1, kv1] (head_dim 8 rows each).
                var t = w[$"model.layers.{l}.self_attn.{n}.weight"];
                repeated[$"model.layers.{l}.self_attn.{n}.weight"] = cat([t[..8], t[..8], t[8..16], t[8..16]], 0);
            }
        using var a = new DecoderModel(gqa, w);
        using var b = new DecoderModel(mha, repeated);
        var ids = tensor(Tokens.Select(t => (long)t).ToArray(), [1, Tokens.Length]);
        var pos = arange(Tokens.Length).unsqueeze(0);
        var diff = (a.Forward(ids, pos) - b.Forward(ids, pos)).abs().max().item<float>();
        Assert.True(diff < 1e-5f, $"GQA vs repeated-kv MHA max |diff| {diff}");
    }

    [Fact]
    public void Llama3RopeScalingMatchesHandComputedInvFreq()
    {
        // Llama 3.1 8B: head_dim 128, rope_theta 500000, factor 8, low 1, high 4, original context 8192.
        var c = Small(DecoderFamily.Llama) with
        {
            HeadDim = 128, HiddenSize = 512, RopeTheta = 500000,
            RopeScaling = new Llama3RopeScaling(8, 1, 4, 8192),
        };
        var inv = RotaryEmbedding.InverseFrequencies(c);
        Assert.Equal(64, inv.Length);
        // By hand: base_j = 500000^(-2j/128); wavelength 2*pi/base_j; high-frequency bound 8192/4 = 2048, low 8192/1 = 8192.
        // j = 0: wavelength 6.28 < 2048 -> unchanged 1.
        Assert.Equal(1.0, inv[0], 6);
        // j = 20: base = 500000^(-40/128) = 0.016457..., wavelength 381.8 < 2048 -> unchanged.
        Assert.Equal(Math.Pow(500000, -40.0 / 128), inv[20], 6);
        // j = 63: base = 500000^(-126/128) = 2.4409e-6, wavelength ~2.57e6 > 8192 -> divided by 8.
        Assert.Equal(Math.Pow(500000, -126.0 / 128) / 8, inv[63], 9);
        // j = 42: base = 500000^(-84/128) = 1.8128e-4, wavelength 34660 > 8192 -> divided by 8.
        Assert.Equal(Math.Pow(500000, -84.0 / 128) / 8, inv[42], 9);
        // The medium band 2048 <= wavelength <= 8192 is base in [2pi/8192, 2pi/2048] = [7.670e-4, 3.068e-3], i.e. j = 29..34.
        // j = 32: base = 500000^(-0.5) = 1.414214e-3, wavelength 4442.88; smooth = (8192/4442.88 - 1) / (4 - 1) = 0.281284;
        // scaled = (1 - smooth) * base / 8 + smooth * base = 0.718716 * 1.767767e-4 + 0.281284 * 1.414214e-3 = 5.24849e-4.
        var b32 = 1 / Math.Sqrt(500000);
        var smooth = (8192 / (2 * Math.PI / b32) - 1) / 3;
        Assert.Equal(0.281284, smooth, 5);
        Assert.Equal((1 - smooth) * b32 / 8 + smooth * b32, inv[32], 8);
        Assert.Equal(5.24849e-4, inv[32], 8);
        // Band edges: j = 28 (wavelength 1956) is high frequency, unchanged; j = 35 (wavelength 8219) is divided by 8;
        // j = 29 (wavelength 2402) is interpolated, so it lies strictly between its unscaled and divided values.
        Assert.Equal(Math.Pow(500000, -56.0 / 128), inv[28], 8);
        Assert.Equal(Math.Pow(500000, -70.0 / 128) / 8, inv[35], 9);
        var b29 = Math.Pow(500000, -58.0 / 128);
        Assert.InRange(inv[29], b29 / 8 + 1e-6, b29 - 1e-6);
    }

    [Fact]
    public void Llama3ScaledModelMatchesReference()
    {
        var c = Small(DecoderFamily.Llama) with { RopeTheta = 500, RopeScaling = new Llama3RopeScaling(8, 1, 4, 16) };
        var inv = RotaryEmbedding.InverseFrequencies(c).Select(f => (double)f).ToArray();
        Assert.NotEqual(HfDecoderReference.DefaultInvFreq(c)[^1], inv[^1], 6); // scaling is in effect at this size
        AssertMatchesReference(c, inv);
    }
}

public class LongRopeTests
{
    static DecoderConfig Config() => DecoderFamilyTests.Small(DecoderFamily.Phi3) with
    {
        PartialRotaryFactor = 0.75, MaxPositionEmbeddings = 64,
        // rotary_dim 6 -> 3 frequencies; original context 16 of 64 -> factor 4.
        LongRope = new LongRopeScaling([1.0, 2.0, 4.0], [3.0, 5.0, 7.0], 16, Math.Sqrt(1 + Math.Log(4) / Math.Log(16))),
    };

    [Fact]
    public void ParsesPhi3StyleConfigWithDerivedAttentionFactor()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hn-longrope-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), """
                {"architectures": ["Phi3ForCausalLM"], "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 50, "max_position_embeddings": 64,
                 "original_max_position_embeddings": 16, "partial_rotary_factor": 0.75,
                 "rope_scaling": {"type": "longrope", "short_factor": [1.0, 2.0, 4.0], "long_factor": [3.0, 5.0, 7.0]}}
                """);
            var c = DecoderConfig.Load(Path.Combine(dir, "config.json"));
            // factor = 64 / 16 = 4; attention factor = sqrt(1 + ln 4 / ln 16) = sqrt(1.5) = 1.2247449.
            Assert.Equal(1.2247449, c.LongRope!.AttentionFactor, 6);
            Assert.Equal(16, c.LongRope.OriginalMaxPositionEmbeddings);
            // inv_freq = 1 / (short_j * 10000^(2j/6)): 1, 1/(2 * 21.544347) = 0.02320794, 1/(4 * 464.15888) = 5.3860867e-4.
            var inv = RotaryEmbedding.InverseFrequencies(c);
            Assert.Equal(1.0, inv[0], 6);
            Assert.Equal(0.02320794, inv[1], 7);
            Assert.Equal(5.3860867e-4, inv[2], 9);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ShortFactorRegimeMatchesReference()
    {
        using var scope = NewDisposeScope();
        var c = Config();
        var ckpt = RandomDecoderWeights.Create(c, 8, std: 0.2);
        var inv = RotaryEmbedding.InverseFrequencies(c).Select(f => (double)f).ToArray();
        int[] tokens = [1, 7, 22, 3, 49, 0, 15, 15, 8, 31];
        var reference = new HfDecoderReference(c, ckpt, inv, ropeScale: c.LongRope!.AttentionFactor).Forward(tokens);
        using var model = new DecoderModel(c, ckpt);
        var ours = model.Forward(tensor(tokens.Select(t => (long)t).ToArray(), [1, tokens.Length]), arange(tokens.Length).unsqueeze(0))[0].data<float>().ToArray();
        var maxDiff = 0.0;
        for (var t = 0; t < tokens.Length; t++)
            for (var v = 0; v < c.VocabSize; v++) maxDiff = Math.Max(maxDiff, Math.Abs(ours[t * c.VocabSize + v] - reference[t][v]));
        Assert.True(maxDiff < 2e-4, $"max |logit difference| {maxDiff}");
    }

    [Fact]
    public void BeyondTheOriginalContextIsRefused()
    {
        using var scope = NewDisposeScope();
        var c = Config();
        using var model = new DecoderModel(c, RandomDecoderWeights.Create(c, 8));
        var e = Assert.Throws<InvalidOperationException>(() => model.Forward(zeros([1, 17], ScalarType.Int64), arange(17).unsqueeze(0)));
        Assert.Contains("original context (16)", e.Message);
    }
}
