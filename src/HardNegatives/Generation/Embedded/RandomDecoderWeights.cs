using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>Seeded random weights for a config (tests and benchmarks): normal(0, 0.02) matrices, norms near 1.</summary>
public static class RandomDecoderWeights
{
    /// <summary>Checkpoint-named tensors (fused for Phi-3), float32 on CPU.</summary>
    public static Dictionary<string, Tensor> Create(DecoderConfig config, long seed, double std = 0.02)
    {
        using var generator = new Generator((ulong)seed);
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in DecoderTensorLayout.Canonical(config))
        {
            var noise = randn(shape, generator: generator);
            // Norm weights near 1 (but not exactly, so a wrong norm is visible); biases and matrices small.
            result[name] = (name.EndsWith("norm.weight", StringComparison.Ordinal) ? 1 + 0.1 * noise : std * noise).DetachFromDisposeScope();
            noise.Dispose();
        }
        return DecoderTensorLayout.ToCheckpoint(config, result);
    }
}
