using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>
/// Hugging Face's <c>DistilBertModel</c> in TorchSharp with the same parameter names (<c>embeddings.word_embeddings.weight</c>,
/// <c>transformer.layer.0.attention.q_lin.weight</c>, …) so checkpoints load by name. <c>forward(inputIds, attentionMask)</c>
/// → last hidden state [B, T, Dim]. Dropout follows <c>train()</c>/<c>eval()</c>.
/// </summary>
public sealed class DistilBertModel : nn.Module<Tensor, Tensor, Tensor>, ITransformerEncoder
{
    readonly DistilBertEmbeddings embeddings;
    readonly DistilBertTransformer transformer;

    /// <summary>A model with Hugging Face's initialisation (normal(0, initializer_range) weights, zero biases, unit LayerNorms, zero padding row).</summary>
    public DistilBertModel(DistilBertConfig config, long? seed = null) : base(nameof(DistilBertModel))
    {
        Config = config.Validate();
        embeddings = new DistilBertEmbeddings(config);
        transformer = new DistilBertTransformer(config);
        register_module("embeddings", embeddings);
        register_module("transformer", transformer);
        WeightInit.Apply(this, config.InitializerRange, config.PadTokenId, seed);
    }

    public DistilBertConfig Config { get; }

    /// <inheritdoc/>
    public int HiddenSize => Config.Dim;

    /// <inheritdoc/>
    public string ConfigJson() => Config.ToJson();

    /// <summary>Last hidden state [B, T, Dim] for int64 ids and mask [B, T].</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var x = embeddings.forward(inputIds);
        var mask = AttentionMask.Additive(attentionMask, x.dtype);
        return transformer.forward(x, mask).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor HiddenStates(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds) => forward(inputIds, attentionMask);
}
