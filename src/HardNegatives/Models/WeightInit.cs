using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>Hugging Face's <c>_init_weights</c> for BERT-family models: Linear and Embedding weights ~ N(0, std), biases 0, LayerNorm 1/0, padding row 0.</summary>
static class WeightInit
{
    public static void Apply(nn.Module root, double std, int padTokenId, long? seed)
    {
        using var noGrad = no_grad();
        // Tensor.normal_ with the generator: TorchSharp's nn.init.normal_(t, mean, std, generator) ignores the generator and
        // draws from the global RNG, which made "seeded" initialisation differ between processes.
        var generator = seed is { } s ? new Generator((ulong)s) : null;
        foreach (var (name, module) in root.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    linear.weight!.normal_(0, std, generator);
                    if (linear.bias is { } bias) nn.init.zeros_(bias);
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, std, generator);
                    if (name.EndsWith("word_embeddings", StringComparison.Ordinal)) embedding.weight![padTokenId].zero_();
                    break;
                case LayerNorm norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
        generator?.Dispose();
    }
}
