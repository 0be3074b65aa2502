using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HardNegatives.Models;

/// <summary>BERT embeddings: word + position + token type, LayerNorm, dropout.</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly Embedding word_embeddings, position_embeddings, token_type_embeddings;
    readonly LayerNorm LayerNorm;
    readonly double _dropout;

    public BertEmbeddings(BertConfig c) : base("embeddings")
    {
        word_embeddings = nn.Embedding(c.VocabSize, c.HiddenSize, padding_idx: c.PadTokenId);
        position_embeddings = nn.Embedding(c.MaxPositionEmbeddings, c.HiddenSize);
        token_type_embeddings = nn.Embedding(c.TypeVocabSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps);
        _dropout = c.HiddenDropoutProb;
        register_module("word_embeddings", word_embeddings);
        register_module("position_embeddings", position_embeddings);
        register_module("token_type_embeddings", token_type_embeddings);
        register_module("LayerNorm", LayerNorm);
    }

    /// <param name="tokenTypeIds">[B, T] or null for all zeros (HF's default).</param>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var positions = arange(inputIds.shape[1], ScalarType.Int64, inputIds.device).unsqueeze(0);
        var types = tokenTypeIds ?? zeros_like(inputIds);
        var sum = word_embeddings.forward(inputIds) + token_type_embeddings.forward(types) + position_embeddings.forward(positions);
        return F.dropout(LayerNorm.forward(sum), _dropout, training).MoveToOuterDisposeScope();
    }
}

/// <summary>BERT self-attention (<c>attention.self.query/key/value</c>) and its output (<c>attention.output.dense</c>, LayerNorm(x + dropout(dense))).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly BertSelfAttention self;
    readonly BertSelfOutput output;

    public BertAttention(BertConfig c) : base("attention")
    {
        self = new BertSelfAttention(c);
        output = new BertSelfOutput(c);
        register_module("self", self);
        register_module("output", output);
    }

    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var context = self.forward(x, additiveMask);
        return output.forward(context, x);
    }
}

/// <summary>query, key, value projections and scaled dot-product attention.</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly Linear query, key, value;
    readonly int _heads;
    readonly double _dropout;

    public BertSelfAttention(BertConfig c) : base("self")
    {
        query = nn.Linear(c.HiddenSize, c.HiddenSize);
        key = nn.Linear(c.HiddenSize, c.HiddenSize);
        value = nn.Linear(c.HiddenSize, c.HiddenSize);
        _heads = c.NumAttentionHeads;
        _dropout = c.AttentionProbsDropoutProb;
        register_module("query", query);
        register_module("key", key);
        register_module("value", value);
    }

    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        return MultiHeadAttention.Attend(query.forward(x), key.forward(x), value.forward(x), additiveMask, _heads, training ? _dropout : 0)
            .MoveToOuterDisposeScope();
    }
}

/// <summary>dense → dropout → LayerNorm(· + residual): BERT's <c>BertSelfOutput</c> and <c>BertOutput</c>.</summary>
public sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Linear dense;
    readonly LayerNorm LayerNorm;
    readonly double _dropout;

    public BertSelfOutput(BertConfig c, int inputSize = 0) : base("output")
    {
        dense = nn.Linear(inputSize > 0 ? inputSize : c.HiddenSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps);
        _dropout = c.HiddenDropoutProb;
        register_module("dense", dense);
        register_module("LayerNorm", LayerNorm);
    }

    public override Tensor forward(Tensor x, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(F.dropout(dense.forward(x), _dropout, training) + residual).MoveToOuterDisposeScope();
    }
}

/// <summary>intermediate.dense → activation.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    readonly Linear dense;
    readonly string _activation;

    public BertIntermediate(BertConfig c) : base("intermediate")
    {
        dense = nn.Linear(c.HiddenSize, c.IntermediateSize);
        _activation = c.HiddenAct;
        register_module("dense", dense);
    }

    public override Tensor forward(Tensor x)
    {
        using var h = dense.forward(x);
        return Activations.Apply(_activation, h);
    }
}

/// <summary>One post-norm BERT layer: attention, intermediate, output.</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly BertAttention attention;
    readonly BertIntermediate intermediate;
    readonly BertSelfOutput output;

    public BertLayer(BertConfig c) : base("layer")
    {
        attention = new BertAttention(c);
        intermediate = new BertIntermediate(c);
        output = new BertSelfOutput(c, c.IntermediateSize);
        register_module("attention", attention);
        register_module("intermediate", intermediate);
        register_module("output", output);
    }

    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        var a = attention.forward(x, additiveMask);
        return output.forward(intermediate.forward(a), a).MoveToOuterDisposeScope();
    }
}

/// <summary><c>encoder.layer.N</c>.</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig c) : base("encoder")
    {
        layer = new ModuleList<BertLayer>([.. Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new BertLayer(c))]);
        register_module("layer", layer);
    }

    public override Tensor forward(Tensor x, Tensor? additiveMask) => LayerStack.Forward(layer, x, additiveMask);
}

/// <summary><c>pooler.dense</c> + tanh on the first ([CLS]) token.</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    readonly Linear dense;

    public BertPooler(BertConfig c) : base("pooler")
    {
        dense = nn.Linear(c.HiddenSize, c.HiddenSize);
        register_module("dense", dense);
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return dense.forward(hidden.select(1, 0)).tanh().MoveToOuterDisposeScope();
    }
}
