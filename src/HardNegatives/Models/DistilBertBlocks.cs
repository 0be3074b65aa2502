using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HardNegatives.Models;

/// <summary>DistilBERT embeddings: word + learned position embeddings, LayerNorm (eps 1e-12), dropout.</summary>
public sealed class DistilBertEmbeddings : nn.Module<Tensor, Tensor>
{
    readonly Embedding word_embeddings, position_embeddings;
    readonly LayerNorm LayerNorm;
    readonly double _dropout;

    public DistilBertEmbeddings(DistilBertConfig c) : base("embeddings")
    {
        word_embeddings = nn.Embedding(c.VocabSize, c.Dim, padding_idx: c.PadTokenId);
        position_embeddings = nn.Embedding(c.MaxPositionEmbeddings, c.Dim);
        LayerNorm = nn.LayerNorm(c.Dim, eps: 1e-12);
        _dropout = c.Dropout;
        register_module("word_embeddings", word_embeddings);
        register_module("position_embeddings", position_embeddings);
        register_module("LayerNorm", LayerNorm);
    }

    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        long length = inputIds.shape[1];
        var positions = arange(length, ScalarType.Int64, inputIds.device).unsqueeze(0);
        var embeddings = word_embeddings.forward(inputIds) + position_embeddings.forward(positions);
        return F.dropout(LayerNorm.forward(embeddings), _dropout, training).MoveToOuterDisposeScope();
    }
}

/// <summary>DistilBERT multi-head self-attention: q_lin, k_lin, v_lin, out_lin; scores scaled by 1/√head_dim, additive padding mask.</summary>
public sealed class DistilBertAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly Linear q_lin, k_lin, v_lin, out_lin;
    readonly int _heads;
    readonly double _dropout;

    public DistilBertAttention(DistilBertConfig c) : base("attention")
    {
        q_lin = nn.Linear(c.Dim, c.Dim);
        k_lin = nn.Linear(c.Dim, c.Dim);
        v_lin = nn.Linear(c.Dim, c.Dim);
        out_lin = nn.Linear(c.Dim, c.Dim);
        _heads = c.NHeads;
        _dropout = c.AttentionDropout;
        register_module("q_lin", q_lin);
        register_module("k_lin", k_lin);
        register_module("v_lin", v_lin);
        register_module("out_lin", out_lin);
    }

    /// <param name="x">[B, T, H]</param>
    /// <param name="additiveMask">[B, 1, 1, T] from <see cref="AttentionMask.Additive"/>, or null.</param>
    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        var context = MultiHeadAttention.Attend(q_lin.forward(x), k_lin.forward(x), v_lin.forward(x), additiveMask, _heads, training ? _dropout : 0);
        return out_lin.forward(context).MoveToOuterDisposeScope();
    }
}

/// <summary>One post-norm DistilBERT block: sa_layer_norm(x + attention(x)), then output_layer_norm(h + lin2(gelu(lin1(h)))).</summary>
public sealed class DistilBertBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly DistilBertAttention attention;
    readonly LayerNorm sa_layer_norm, output_layer_norm;
    readonly DistilBertFfn ffn;

    public DistilBertBlock(DistilBertConfig c) : base("block")
    {
        attention = new DistilBertAttention(c);
        sa_layer_norm = nn.LayerNorm(c.Dim, eps: 1e-12);
        ffn = new DistilBertFfn(c);
        output_layer_norm = nn.LayerNorm(c.Dim, eps: 1e-12);
        register_module("attention", attention);
        register_module("sa_layer_norm", sa_layer_norm);
        register_module("ffn", ffn);
        register_module("output_layer_norm", output_layer_norm);
    }

    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        var h = sa_layer_norm.forward(attention.forward(x, additiveMask) + x);
        return output_layer_norm.forward(ffn.forward(h) + h).MoveToOuterDisposeScope();
    }
}

/// <summary>DistilBERT feed-forward: lin1 → activation → lin2 → dropout.</summary>
public sealed class DistilBertFfn : nn.Module<Tensor, Tensor>
{
    readonly Linear lin1, lin2;
    readonly string _activation;
    readonly double _dropout;

    public DistilBertFfn(DistilBertConfig c) : base("ffn")
    {
        lin1 = nn.Linear(c.Dim, c.HiddenDim);
        lin2 = nn.Linear(c.HiddenDim, c.Dim);
        _activation = c.Activation;
        _dropout = c.Dropout;
        register_module("lin1", lin1);
        register_module("lin2", lin2);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return F.dropout(lin2.forward(Activations.Apply(_activation, lin1.forward(x))), _dropout, training).MoveToOuterDisposeScope();
    }
}

/// <summary>The stack of blocks, named <c>transformer.layer.N</c> as in Hugging Face.</summary>
public sealed class DistilBertTransformer : nn.Module<Tensor, Tensor?, Tensor>
{
    readonly ModuleList<DistilBertBlock> layer;

    public DistilBertTransformer(DistilBertConfig c) : base("transformer")
    {
        layer = new ModuleList<DistilBertBlock>([.. Enumerable.Range(0, c.NLayers).Select(_ => new DistilBertBlock(c))]);
        register_module("layer", layer);
    }

    public override Tensor forward(Tensor x, Tensor? additiveMask) => LayerStack.Forward(layer, x, additiveMask);
}

/// <summary>Scaled dot-product attention over heads, shared by DistilBERT and BERT.</summary>
static class MultiHeadAttention
{
    /// <summary>q, k, v [B, T, H] → context [B, T, H]; softmax(q·kᵀ/√d + mask)·v per head, dropout <paramref name="dropout"/> on the probabilities.</summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? additiveMask, int heads, double dropout)
    {
        using var scope = NewDisposeScope();
        long b = q.shape[0], t = q.shape[1], h = q.shape[2], d = h / heads;
        Tensor Split(Tensor x) => x.view(b, t, heads, d).transpose(1, 2);
        var context = F.scaled_dot_product_attention(Split(q), Split(k), Split(v), additiveMask, dropout);
        return context.transpose(1, 2).reshape(b, t, h).MoveToOuterDisposeScope();
    }
}
