using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Rotary position embedding in Hugging Face's "rotate half" layout: dimension j of a head pairs with j + rotary_dim/2.
/// (llama2.c pairs adjacent dimensions instead; <see cref="Llama2cCheckpoint"/> permutes q/k rows so both agree.)
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>
    /// <c>inv_freq[j] = 1 / theta^(2j / rotary_dim)</c>, then Llama 3 scaling if configured, exactly as
    /// <c>transformers</c>' <c>_compute_default_rope_parameters</c> and <c>_compute_llama3_parameters</c> (float32 arithmetic).
    /// </summary>
    public static float[] InverseFrequencies(DecoderConfig config)
    {
        var dim = config.RotaryDim;
        var inv = new float[dim / 2];
        for (var j = 0; j < inv.Length; j++)
            inv[j] = (float)(1.0 / Math.Pow(config.RopeTheta, (float)(2 * j) / dim));
        if (config.LongRope is { } lr)
        {
            // longrope within the original context: inv_freq = 1 / (short_factor[j] * theta^(2j / dim)).
            for (var j = 0; j < inv.Length; j++)
                inv[j] = (float)(1.0 / ((float)lr.ShortFactor[j] * (float)Math.Pow(config.RopeTheta, (float)(2 * j) / dim)));
            return inv;
        }
        if (config.RopeScaling is not { } s) return inv;
        // Wavelengths shorter than the high-frequency bound keep their frequency, longer than the low-frequency bound are
        // divided by `factor`, and the band between is interpolated linearly in 1/wavelength.
        var lowFreqWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        var highFreqWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        for (var j = 0; j < inv.Length; j++)
        {
            var f = (double)inv[j];
            var wavelen = 2 * Math.PI / f;
            var scaled = wavelen > lowFreqWavelen ? f / s.Factor : f;
            if (!(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen))
            {
                var smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                scaled = (1 - smooth) * scaled / s.Factor + smooth * scaled;
            }
            inv[j] = (float)scaled;
        }
        return inv;
    }

    /// <summary>HF's <c>attention_scaling</c>: cos and sin are multiplied by it (longrope's attention factor; 1 otherwise).</summary>
    public static double AttentionScaling(DecoderConfig config) => config.LongRope?.AttentionFactor ?? 1.0;

    /// <summary>cos and sin tables [B, 1, T, rotary_dim] for integer positions [B, T] (float32, as HF computes them).</summary>
    internal static (Tensor Cos, Tensor Sin) Tables(Tensor invFreq, Tensor positionIds, double scaling = 1.0)
    {
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * invFreq; // [B, T, rot/2]
        var emb = cat([freqs, freqs], -1).unsqueeze(1);
        return scaling == 1.0 ? (emb.cos(), emb.sin()) : (emb.cos() * scaling, emb.sin() * scaling);
    }

    /// <summary>Rotates the first rotary_dim channels of x [B, heads, T, head_dim]; the rest pass through (partial rotary).</summary>
    internal static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var rot = cos.shape[^1];
        var dtype = x.dtype;
        var xr = x.narrow(-1, 0, rot).to(ScalarType.Float32);
        var half = rot / 2;
        var rotated = cat([-xr.narrow(-1, half, half), xr.narrow(-1, 0, half)], -1);
        var y = (xr * cos + rotated * sin).to(dtype);
        return rot == x.shape[^1] ? y : cat([y, x.narrow(-1, rot, x.shape[^1] - rot)], -1);
    }
}
