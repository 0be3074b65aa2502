using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>
/// Hugging Face's <c>BertModel</c> in TorchSharp with the same parameter names (<c>embeddings.token_type_embeddings.weight</c>,
/// <c>encoder.layer.0.attention.self.query.weight</c>, <c>pooler.dense.weight</c>, …).
/// <c>forward(inputIds, attentionMask, tokenTypeIds)</c> → last hidden state [B, T, H]; <see cref="Pool"/> gives the pooler output.
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor?, Tensor>, ITransformerEncoder
{
    readonly BertEmbeddings embeddings;
    readonly BertEncoder encoder;
    readonly BertPooler? pooler;

    /// <param name="addPoolingLayer">Whether the model has <c>pooler.dense</c> (HF's default true; some sentence-transformers checkpoints lack it).</param>
    public BertModel(BertConfig config, bool addPoolingLayer = true, long? seed = null, bool initialize = true) : base(nameof(BertModel))
    {
        Config = config.Validate();
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        register_module("embeddings", embeddings);
        register_module("encoder", encoder);
        if (addPoolingLayer)
        {
            pooler = new BertPooler(config);
            register_module("pooler", pooler);
        }
        if (initialize) WeightInit.Apply(this, config.InitializerRange, config.PadTokenId, seed);
    }

    public BertConfig Config { get; }

    public bool HasPooler => pooler is not null;

    public int HiddenSize => Config.HiddenSize;

    public string ConfigJson() => Config.ToJson();

    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var x = embeddings.forward(inputIds, tokenTypeIds);
        var mask = AttentionMask.Additive(attentionMask, x.dtype);
        return encoder.forward(x, mask).MoveToOuterDisposeScope();
    }

    /// <summary>The pooler output tanh(dense(h[:, 0])) [B, H] from a last hidden state.</summary>
    public Tensor Pool(Tensor lastHidden) =>
        (pooler ?? throw new InvalidOperationException("this BertModel was built without a pooling layer")).forward(lastHidden);

    public Tensor HiddenStates(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds) => forward(inputIds, attentionMask, tokenTypeIds);
}
