using HardNegatives.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models;

/// <summary>The TorchSharp models against <see cref="ReferenceEncoder"/> and hand-known values.</summary>
public class EncoderMathTests
{
    // Large init (std 0.5) so activations are O(1) and GELU/LayerNorm mistakes show.
    static readonly DistilBertConfig Small = new(VocabSize: 20, Dim: 8, NLayers: 2, NHeads: 2, HiddenDim: 12, MaxPositionEmbeddings: 16, InitializerRange: 0.5);
    static readonly BertConfig SmallBert = new(VocabSize: 20, HiddenSize: 8, NumHiddenLayers: 2, NumAttentionHeads: 2, IntermediateSize: 12,
        MaxPositionEmbeddings: 16, InitializerRange: 0.5, NumLabels: 1);

    [Fact]
    public void DistilBertParameterNamesAreHuggingFaces()
    {
        using var model = new DistilBertModel(Small with { NLayers = 1 }, seed: 1);
        string[] expected =
        [
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
            .. new[] { "q_lin", "k_lin", "v_lin", "out_lin" }.SelectMany(n => new[] { $"transformer.layer.0.attention.{n}.weight", $"transformer.layer.0.attention.{n}.bias" }),
            "transformer.layer.0.sa_layer_norm.weight", "transformer.layer.0.sa_layer_norm.bias",
            "transformer.layer.0.ffn.lin1.weight", "transformer.layer.0.ffn.lin1.bias", "transformer.layer.0.ffn.lin2.weight", "transformer.layer.0.ffn.lin2.bias",
            "transformer.layer.0.output_layer_norm.weight", "transformer.layer.0.output_layer_norm.bias",
        ];
        Assert.Equal(expected.Order(), model.named_parameters().Select(p => p.name).Order());
        Assert.Equal(new long[] { 12, 8 }, model.named_parameters().Single(p => p.name == "transformer.layer.0.ffn.lin1.weight").parameter.shape);
    }

    [Fact]
    public void BertClassifierParameterNamesAreHuggingFaces()
    {
        using var model = new BertForSequenceClassification(SmallBert with { NumHiddenLayers = 1 }, seed: 1);
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        string[] expected =
        [
            "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight", "bert.embeddings.token_type_embeddings.weight",
            "bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.bias",
            "bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.0.attention.self.key.bias", "bert.encoder.layer.0.attention.self.value.weight",
            "bert.encoder.layer.0.attention.output.dense.weight", "bert.encoder.layer.0.attention.output.LayerNorm.weight",
            "bert.encoder.layer.0.intermediate.dense.weight", "bert.encoder.layer.0.output.dense.bias", "bert.encoder.layer.0.output.LayerNorm.bias",
            "bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias",
        ];
        Assert.All(expected, n => Assert.Contains(n, names));
        Assert.Equal(5 + 16 + 2 + 2, names.Count);
    }

    [Fact]
    public void GeluIsTheExactErfForm()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { -1, 1, 2, 0.5 });
        var y = Activations.Apply("gelu", x).data<double>().ToArray();
        // x·Φ(x) with Φ(1) = 0.8413447460685429, Φ(2) = 0.9772498680518208, Φ(0.5) = 0.6914624612740131.
        Assert.Equal(-0.15865525393145707, y[0], 1e-12);
        Assert.Equal(0.8413447460685429, y[1], 1e-12);
        Assert.Equal(1.9544997361036416, y[2], 1e-12);
        Assert.Equal(0.34573123063700656, y[3], 1e-12);
        Assert.Equal(0.8411919906082768, Activations.Apply("gelu_new", tensor(1.0)).item<double>(), 1e-12); // the tanh form differs
        Assert.Equal(0.8413447460685429, ReferenceEncoder.Gelu(1), 1e-13);
    }

    [Fact]
    public void LayerNormEpsilonIsOneEMinusTwelve()
    {
        using var scope = NewDisposeScope();
        using var model = new DistilBertModel(Small with { NLayers = 1 }, seed: 1);
        var emb = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            emb["embeddings.word_embeddings.weight"][3].copy_(tensor(new float[] { 1e-5f, -1e-5f, 1e-5f, -1e-5f, 1e-5f, -1e-5f, 1e-5f, -1e-5f }));
            emb["embeddings.position_embeddings.weight"].zero_();
        }
        model.eval();
        var embeddings = model.named_children().Single(c => c.name == "embeddings").module as DistilBertEmbeddings;
        var y = embeddings!.forward(tensor(new long[] { 3 }).reshape(1, 1)).data<float>().ToArray();
        // variance 1e-10: (x − μ)/√(1e-10 + 1e-12) = ±0.995037; with eps 1e-5 it would be ±0.00316.
        Assert.Equal(1e-5 / Math.Sqrt(1e-10 + 1e-12), y[0], 1e-4);
        Assert.Equal(-1e-5 / Math.Sqrt(1e-10 + 1e-12), y[1], 1e-4);
    }

    [Fact]
    public void DistilBertMatchesTheDoubleReferenceWithPadding()
    {
        using var scope = NewDisposeScope();
        using var model = new DistilBertModel(Small, seed: 7);
        model.eval();
        long[] ids = [2, 5, 9, 11, 3, 0, 0], mask = [1, 1, 1, 1, 1, 0, 0];
        long[] ids2 = [2, 17, 4, 6, 8, 10, 3];
        var input = tensor(ids.Concat(ids2).ToArray(), [2, 7]);
        var m = tensor(mask.Concat(Enumerable.Repeat(1L, 7)).ToArray(), [2, 7]);
        var hidden = model.forward(input, m);
        Assert.Equal(new long[] { 2, 7, 8 }, hidden.shape);
        var reference = new ReferenceEncoder(ReferenceEncoder.Weights(model), heads: 2, eps: 1e-12);
        var r0 = reference.DistilBert(ids, realLength: 5, layers: 2);
        var r1 = reference.DistilBert(ids2, realLength: 7, layers: 2);
        var actual = hidden.to(ScalarType.Float64).data<double>().ToArray();
        for (int t = 0; t < 7; t++)
            for (int i = 0; i < 8; i++)
            {
                if (t < 5) Assert.Equal(r0[t][i], actual[t * 8 + i], 2e-5);
                Assert.Equal(r1[t][i], actual[56 + t * 8 + i], 2e-5);
            }
    }

    [Fact]
    public void BertCrossEncoderLogitsMatchTheDoubleReference()
    {
        using var scope = NewDisposeScope();
        using var model = new BertForSequenceClassification(SmallBert, seed: 3);
        model.eval();
        long[] ids = [2, 5, 3, 9, 11, 3, 0], types = [0, 0, 0, 1, 1, 1, 0], mask = [1, 1, 1, 1, 1, 1, 0];
        var logits = model.forward(tensor(ids, [1, 7]), tensor(mask, [1, 7]), tensor(types, [1, 7]));
        Assert.Equal(new long[] { 1, 1 }, logits.shape);
        var reference = new ReferenceEncoder(ReferenceEncoder.Weights(model), heads: 2, eps: 1e-12).BertLogits(ids, types, realLength: 6, layers: 2);
        Assert.Equal(reference[0], logits.to(ScalarType.Float64).item<double>(), 2e-5);
        // Token types matter: the same ids with all-zero types score differently.
        var zeroTypes = model.forward(tensor(ids, [1, 7]), tensor(mask, [1, 7]), null).item<float>();
        Assert.NotEqual(logits.item<float>(), zeroTypes);
    }

    [Fact]
    public void PaddingDoesNotChangeRealTokensOutputs()
    {
        using var scope = NewDisposeScope();
        using var model = new DistilBertModel(Small, seed: 11);
        model.eval();
        var alone = model.forward(tensor(new long[] { 2, 5, 9, 3 }, [1, 4]), ones(1, 4, ScalarType.Int64));
        var padded = model.forward(tensor(new long[] { 2, 5, 9, 3, 0, 0, 0, 0, 0, 0 }, [1, 10]),
            tensor(new long[] { 1, 1, 1, 1, 0, 0, 0, 0, 0, 0 }, [1, 10]));
        var diff = (padded.narrow(1, 0, 4) - alone).abs().max().item<float>();
        Assert.True(diff < 1e-5f, $"max difference {diff}");
        // Without the mask the padding would be attended to and change the outputs.
        var unmasked = model.forward(tensor(new long[] { 2, 5, 9, 3, 0, 0, 0, 0, 0, 0 }, [1, 10]), ones(1, 10, ScalarType.Int64));
        Assert.True((unmasked.narrow(1, 0, 4) - alone).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void AdditiveMaskUsesTheDtypesMostNegativeValue()
    {
        using var scope = NewDisposeScope();
        var mask = AttentionMask.Additive(tensor(new long[] { 1, 1, 0 }, [1, 3]), ScalarType.Float32)!;
        Assert.Equal(new long[] { 1, 1, 1, 3 }, mask.shape);
        Assert.Equal(new[] { 0f, 0f, float.MinValue }, mask.data<float>().ToArray());
        Assert.Null(AttentionMask.Additive(ones(2, 3, ScalarType.Int64), ScalarType.Float32));
        var bf = AttentionMask.Additive(tensor(new long[] { 0, 1 }, [1, 2]), ScalarType.BFloat16)!;
        Assert.True(float.IsFinite(bf.to(ScalarType.Float32)[0, 0, 0, 0].item<float>()));
        Assert.Equal(-3.3895313892515355e38, bf.to(ScalarType.Float64)[0, 0, 0, 0].item<double>(), 1e30);
    }

    [Fact]
    public void DropoutIsActiveOnlyInTraining()
    {
        using var scope = NewDisposeScope();
        using var model = new DistilBertModel(Small with { Dropout = 0.5, AttentionDropout = 0.5 }, seed: 5);
        var ids = tensor(new long[] { 2, 5, 9, 3 }, [1, 4]);
        var m = ones(1, 4, ScalarType.Int64);
        model.eval();
        Assert.True(model.forward(ids, m).equal(model.forward(ids, m)).all().item<bool>());
        model.train();
        Assert.False(model.forward(ids, m).equal(model.forward(ids, m)).all().item<bool>());
    }
}
