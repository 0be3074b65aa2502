using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HardNegatives.Models;

/// <summary>How token vectors become one sentence vector.</summary>
public enum PoolingMode
{
    /// <summary>Average over real tokens (attention mask 1), sentence-transformers' <c>pooling_mode_mean_tokens</c>.</summary>
    Mean,
    /// <summary>The first token's vector, <c>pooling_mode_cls_token</c>.</summary>
    Cls,
}

/// <summary>Pooling settings. Defaults: mean pooling, no normalisation (the paper's DistilBERT bi-encoders score by dot product).</summary>
/// <param name="Mode">Mean (default) or Cls.</param>
/// <param name="Normalize">L2-normalise the pooled vector (sentence-transformers' <c>Normalize</c> module). Default false.</param>
public sealed record PoolingOptions(PoolingMode Mode = PoolingMode.Mean, bool Normalize = false);

/// <summary>Pooling as sentence-transformers computes it.</summary>
public static class Pooling
{
    /// <summary>sum(h · mask) / max(sum(mask), 1e-9) over the sequence: [B, T, H], [B, T] → [B, H].</summary>
    public static Tensor Mean(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var mask = attentionMask.unsqueeze(-1).to(hidden.dtype);
        var sum = (hidden * mask).sum(1);
        var count = mask.sum(1).clamp_min(1e-9);
        return (sum / count).MoveToOuterDisposeScope();
    }

    /// <summary>h[:, 0]: [B, T, H] → [B, H].</summary>
    public static Tensor Cls(Tensor hidden) => hidden.select(1, 0);

    /// <summary>Pools per <paramref name="options"/>, then L2-normalises (eps 1e-12, as torch's F.normalize) when asked.</summary>
    public static Tensor Apply(PoolingOptions options, Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var pooled = options.Mode switch
        {
            PoolingMode.Mean => Mean(hidden, attentionMask),
            PoolingMode.Cls => Cls(hidden),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "unknown pooling mode"),
        };
        if (options.Normalize) pooled = F.normalize(pooled, p: 2, dim: 1);
        return pooled.MoveToOuterDisposeScope();
    }
}
