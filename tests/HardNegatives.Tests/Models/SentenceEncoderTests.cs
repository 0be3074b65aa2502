using System.Text.Json.Nodes;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Models.Checkpoints;
using HardNegatives.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models;

public class SentenceEncoderTests
{
    static readonly Lazy<BertTokenizer> Tokenizer = new(() => new BertTokenizer(KitPaths.BertBaseUncasedVocab));
    static readonly DistilBertConfig Tiny = new(VocabSize: 30522, Dim: 16, NLayers: 2, NHeads: 2, HiddenDim: 32, MaxPositionEmbeddings: 64);
    static readonly string[] Texts = ["The cat sat on the mat.", "Protein folding", "a", "Hard negatives help dense retrieval models learn fine distinctions."];

    static string TempDir() => Directory.CreateTempSubdirectory("hn-enc-").FullName;

    [Theory]
    [InlineData(PoolingMode.Mean, false)]
    [InlineData(PoolingMode.Cls, true)]
    public void SaveThenLoadGivesIdenticalEmbeddings(PoolingMode mode, bool normalize)
    {
        var dir = TempDir();
        try
        {
            using var encoder = SentenceEncoder.CreateDistilBert(Tiny, Tokenizer.Value, new PoolingOptions(mode, normalize), maxSeqLength: 32, seed: 1);
            var before = encoder.EncodeToArrays(Texts, batchSize: 3);
            encoder.Save(dir);
            foreach (var f in new[] { "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json",
                         "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            var modules = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "modules.json")))!.AsArray();
            Assert.Equal(normalize ? 3 : 2, modules.Count);
            Assert.Equal("sentence_transformers.models.Transformer", modules[0]!["type"]!.GetValue<string>());
            Assert.Equal("", modules[0]!["path"]!.GetValue<string>());
            var pooling = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "1_Pooling", "config.json")))!;
            Assert.Equal(16, pooling["word_embedding_dimension"]!.GetValue<int>());
            Assert.Equal(mode == PoolingMode.Mean, pooling["pooling_mode_mean_tokens"]!.GetValue<bool>());
            Assert.Equal("distilbert", JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!["model_type"]!.GetValue<string>());

            using var loaded = SentenceEncoder.Load(dir, CPU);
            Assert.Equal(encoder.PoolingOptions, loaded.PoolingOptions);
            Assert.Equal(32, loaded.MaxSeqLength);
            var after = loaded.EncodeToArrays(Texts, batchSize: 3); // same batches: the same shapes give bit-identical sums
            for (int i = 0; i < Texts.Length; i++) Assert.Equal(before[i], after[i]);
            if (normalize) Assert.All(after, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 1e-5));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void BatchedInferenceMatchesOneByOneEncoding()
    {
        using var encoder = SentenceEncoder.CreateDistilBert(Tiny, Tokenizer.Value, seed: 2);
        var batched = encoder.EncodeToArrays(Texts, batchSize: 4);
        encoder.eval();
        using var noGrad = no_grad();
        for (int i = 0; i < Texts.Length; i++)
        {
            using var single = encoder.Encode([Texts[i]]);
            var expected = single.data<float>().ToArray();
            for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], batched[i][j], 1e-5);
        }
    }

    [Fact]
    public void GradientsFlowFromEmbeddingsToTheWeights()
    {
        using var scope = NewDisposeScope();
        using var encoder = SentenceEncoder.CreateDistilBert(Tiny, Tokenizer.Value, seed: 3);
        var embeddings = encoder.Encode(Texts, train: true);
        Assert.Equal(new long[] { Texts.Length, 16 }, embeddings.shape);
        embeddings.pow(2).sum().backward();
        var grads = encoder.named_parameters().Where(p => p.parameter.grad is not null).Select(p => p.name).ToList();
        Assert.Contains("model.embeddings.word_embeddings.weight", grads);
        Assert.Contains("model.transformer.layer.1.ffn.lin2.weight", grads);
        Assert.True(encoder.training);
    }

    /// <summary>Live tensors created on this thread (TorchSharp's per-thread statistics, so parallel tests cannot disturb it).</summary>
    static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void LiveTensorCountStaysFlatAcrossBatches()
    {
        using var encoder = SentenceEncoder.CreateDistilBert(Tiny, Tokenizer.Value, seed: 4);
        var texts = Enumerable.Range(0, 24).Select(i => $"text number {i} " + string.Join(' ', Enumerable.Repeat("word", i % 7))).ToList();
        encoder.EncodeToTensor(texts, batchSize: 4).Dispose(); // warm-up
        long start = LiveTensors();
        encoder.EncodeToTensor(texts, batchSize: 4).Dispose(); // 6 batches
        long afterSix = LiveTensors();
        encoder.EncodeToTensor([.. texts, .. texts], batchSize: 4).Dispose(); // 12 batches
        Assert.Equal(start, afterSix);
        Assert.Equal(start, LiveTensors());
        void TrainingStep()
        {
            using var scope = NewDisposeScope();
            encoder.train();
            encoder.Encode(texts.Take(4).ToList()).sum().backward();
        }
        TrainingStep();
        encoder.zero_grad();
        long afterOneStep = LiveTensors();
        for (int i = 0; i < 3; i++) { TrainingStep(); encoder.zero_grad(); }
        Assert.Equal(afterOneStep, LiveTensors());
    }

    [Fact]
    public void BFloat16InferenceIsCloseToFloat32()
    {
        var dir = TempDir();
        try
        {
            using var encoder = SentenceEncoder.CreateDistilBert(Tiny, Tokenizer.Value, new PoolingOptions(Normalize: true), seed: 5);
            encoder.Save(dir);
            using var bf16 = SentenceEncoder.Load(dir, CPU, ScalarType.BFloat16);
            Assert.Equal(ScalarType.BFloat16, bf16.DType);
            var a = encoder.EncodeToArrays(Texts);
            var b = bf16.EncodeToArrays(Texts);
            for (int i = 0; i < Texts.Length; i++)
            {
                double cosine = a[i].Zip(b[i]).Sum(p => (double)p.First * p.Second);
                Assert.True(cosine > 0.99, $"text {i}: cosine {cosine}");
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void LoadingNamesMissingUnexpectedAndMisShapedTensors()
    {
        var dir = TempDir();
        try
        {
            using var scope = NewDisposeScope();
            using var model = new DistilBertModel(Tiny with { NLayers = 1 }, seed: 6);
            var state = StateDictLoader.StateTensors(model);
            state.Remove("transformer.layer.0.ffn.lin1.bias");
            state["transformer.layer.0.ffn.lin2.weight"] = zeros(16, 31);
            state["transformer.layer.0.extra.weight"] = zeros(2);
            SafetensorsWriter.Save(Path.Combine(dir, "model.safetensors"), state);
            using var checkpoint = SafetensorsCheckpoint.Open(dir);
            using var target = new DistilBertModel(Tiny with { NLayers = 1 });
            var e = Assert.Throws<InvalidDataException>(() => StateDictLoader.Load(target, checkpoint));
            Assert.Contains("missing (1): transformer.layer.0.ffn.lin1.bias", e.Message);
            Assert.Contains("mis-shaped (1): transformer.layer.0.ffn.lin2.weight [16,31] vs model [16,32]", e.Message);
            Assert.Contains("unexpected (1): transformer.layer.0.extra.weight", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MaskedLmCheckpointsLoadByStrippingThePrefixAndListingTheHead()
    {
        var dir = TempDir();
        try
        {
            using var scope = NewDisposeScope();
            using var source = new DistilBertModel(Tiny with { NLayers = 1 }, seed: 8);
            var state = StateDictLoader.StateTensors(source).ToDictionary(kv => "distilbert." + kv.Key, kv => kv.Value);
            state["vocab_projector.bias"] = zeros(30522);
            state["vocab_transform.weight"] = zeros(16, 16);
            SafetensorsWriter.Save(Path.Combine(dir, "model.safetensors"), state);
            File.WriteAllText(Path.Combine(dir, "config.json"), (Tiny with { NLayers = 1 }).ToJson("DistilBertForMaskedLM"));
            using var checkpoint = SafetensorsCheckpoint.Open(dir);
            using var target = new DistilBertModel(Tiny with { NLayers = 1 });
            var report = StateDictLoader.Load(target, checkpoint);
            Assert.Equal("distilbert.", report.Prefix);
            Assert.Equal(new[] { "vocab_projector.bias", "vocab_transform.weight" }, report.Ignored);
            var ids = tensor(new long[] { 101, 7592, 102 }, [1, 3]);
            var m = ones(1, 3, ScalarType.Int64);
            source.eval();
            target.eval();
            Assert.True(source.forward(ids, m).equal(target.forward(ids, m)).all().item<bool>());
            var encoder = ModelFolder.LoadEncoder(dir, CPU);
            Assert.IsType<DistilBertModel>(encoder);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ConfigJsonRoundTripsAndReadsHuggingFaceNames()
    {
        var c = new DistilBertConfig(VocabSize: 100, Dim: 32, NLayers: 3, NHeads: 4, HiddenDim: 64, Dropout: 0.2);
        Assert.Equal(c, DistilBertConfig.FromJson(c.ToJson()));
        var b = BertConfig.FromJson("{\"model_type\":\"bert\",\"hidden_size\":384,\"num_hidden_layers\":6,\"num_attention_heads\":12,\"intermediate_size\":1536,\"id2label\":{\"0\":\"LABEL_0\"}}");
        Assert.Equal((384, 6, 1536, 1), (b.HiddenSize, b.NumHiddenLayers, b.IntermediateSize, b.NumLabels));
        Assert.Equal(b, BertConfig.FromJson(b.ToJson("BertForSequenceClassification")));
        Assert.Throws<ArgumentException>(() => DistilBertConfig.FromJson("{\"dim\":10,\"n_heads\":3}"));
    }
}
