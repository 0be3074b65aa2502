using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>
/// Hugging Face's padding mask for encoder attention: a [B, 1, 1, T] additive tensor that is 0 where the mask is 1 and the
/// dtype's most negative finite value (<c>torch.finfo(dtype).min</c>) where it is 0, so padded keys get zero probability.
/// </summary>
public static class AttentionMask
{
    /// <summary>The most negative finite value of a floating dtype (float32, bfloat16, float16, float64).</summary>
    public static double MinValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38, // -(2 - 2^-7) · 2^127
        _ => throw new NotSupportedException($"attention in {dtype} is not supported; use float32, bfloat16, float16 or float64"),
    };

    /// <summary>
    /// The additive mask for <paramref name="attentionMask"/> ([B, T], 1 = real token), or null when nothing is padded
    /// (as HF's SDPA path does: adding zeros changes nothing).
    /// </summary>
    public static Tensor? Additive(Tensor attentionMask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var padded = attentionMask.eq(0);
        if (!padded.any().item<bool>()) return null;
        var additive = zeros(attentionMask.shape, dtype, attentionMask.device).masked_fill(padded, MinValue(dtype));
        return additive.unsqueeze(1).unsqueeze(1).MoveToOuterDisposeScope();
    }
}
