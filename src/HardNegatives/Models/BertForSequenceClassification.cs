using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HardNegatives.Models;

/// <summary>
/// Hugging Face's <c>BertForSequenceClassification</c> (parameters <c>bert.…</c>, <c>classifier.weight/bias</c>): the pooler
/// output → dropout → linear to <c>num_labels</c> logits. With one label this is a relevance cross-encoder such as
/// <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c> (score = the logit; sentence-transformers applies no activation for it by default).
/// </summary>
public sealed class BertForSequenceClassification : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    readonly BertModel bert;
    readonly Linear classifier;
    readonly double _dropout;

    public BertForSequenceClassification(BertConfig config, long? seed = null) : base(nameof(BertForSequenceClassification))
    {
        bert = new BertModel(config, addPoolingLayer: true, seed: seed, initialize: false);
        classifier = nn.Linear(config.HiddenSize, config.NumLabels);
        _dropout = config.ClassifierDropout ?? config.HiddenDropoutProb;
        register_module("bert", bert);
        register_module("classifier", classifier);
        WeightInit.Apply(this, config.InitializerRange, config.PadTokenId, seed);
    }

    public BertConfig Config => bert.Config;

    public BertModel Bert => bert;

    /// <summary>Logits [B, num_labels].</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var pooled = bert.Pool(bert.forward(inputIds, attentionMask, tokenTypeIds));
        return classifier.forward(F.dropout(pooled, _dropout, training)).MoveToOuterDisposeScope();
    }
}
