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
        var generator = seed is { } s ? new Generator((ulong)s) : null;
        foreach (var (name, module) in root.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    nn.init.normal_(linear.weight!, 0, std, generator);
                    if (linear.bias is { } bias) nn.init.zeros_(bias);
                    break;
                case Embedding embedding:
                    nn.init.normal_(embedding.weight!, 0, std, generator);
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
