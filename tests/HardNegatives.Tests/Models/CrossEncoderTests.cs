using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models;

public class CrossEncoderTests
{
    static readonly Lazy<BertTokenizer> Tokenizer = new(() => new BertTokenizer(KitPaths.BertBaseUncasedVocab));

    /// <summary>A small random one-label BERT cross-encoder (the MiniLM cross-encoders' layout, tiny sizes).</summary>
    internal static CrossEncoder RandomCrossEncoder(long seed, int maxLength = 128) =>
        new(new BertForSequenceClassification(new BertConfig(HiddenSize: 16, NumHiddenLayers: 1, NumAttentionHeads: 2, IntermediateSize: 32,
            NumLabels: 1, InitializerRange: 0.2), seed), Tokenizer.Value, maxLength);

    static readonly string[] Queries = ["what causes fever", "what causes fever", "protein folding in cells", "a"];
    static readonly string[] Passages = ["Fever is caused by pyrogens that raise the hypothalamic set point.", "Unrelated text about rivers.",
        "Chaperones assist protein folding in the endoplasmic reticulum of eukaryotic cells.", "b"];

    [Fact]
    public void BatchedScoresEqualOnePairAtATimeLogits()
    {
        using var ce = RandomCrossEncoder(1);
        var scores = ce.Score(Queries, Passages, batchSize: 3);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < Queries.Length; i++)
        {
            var (ids, types) = Tokenizer.Value.EncodePair(Queries[i], Passages[i], 128);
            var logit = ce.Model.forward(tensor(ids.Select(x => (long)x).ToArray(), [1, ids.Length]), ones(1, ids.Length, ScalarType.Int64),
                tensor(types.Select(x => (long)x).ToArray(), [1, ids.Length])).item<float>();
            Assert.Equal(logit, scores[i], 1e-5);
        }
        Assert.NotEqual(scores[0], scores[1]);
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalScoresAndSigmoidIsMonotone()
    {
        var dir = Directory.CreateTempSubdirectory("hn-ce-").FullName;
        try
        {
            using var ce = RandomCrossEncoder(2);
            var before = ce.Score(Queries, Passages);
            ce.Save(dir);
            Assert.Contains("BertForSequenceClassification", File.ReadAllText(Path.Combine(dir, "config.json")));
            using var loaded = CrossEncoder.Load(dir, CPU, maxLength: 128);
            Assert.Equal(CrossEncoderActivation.Identity, loaded.Activation); // declared in config_sentence_transformers.json
            Assert.Equal(before, loaded.Score(Queries, Passages));
            File.Delete(Path.Combine(dir, "config_sentence_transformers.json"));
            Assert.Equal(CrossEncoderActivation.Sigmoid, CrossEncoder.DeclaredActivation(dir)); // sentence-transformers' one-label default
            using var sigmoid = CrossEncoder.Load(dir, CPU, maxLength: 128, activation: CrossEncoderActivation.Sigmoid);
            var probabilities = sigmoid.Score(Queries, Passages);
            for (int i = 0; i < before.Length; i++) Assert.Equal(1 / (1 + Math.Exp(-before[i])), probabilities[i], 1e-6);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MultiLabelModelsAreRejected()
    {
        using var model = new BertForSequenceClassification(new BertConfig(HiddenSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2, IntermediateSize: 8, NumLabels: 2));
        var e = Assert.Throws<ArgumentException>(() => new CrossEncoder(model, Tokenizer.Value));
        Assert.Contains("num_labels = 2", e.Message);
    }
}
