using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Models.Onnx;
using HardNegatives.Tokenization;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>
/// Our BertModel on weights imported from all-MiniLM-L6-v2's ONNX file against ONNX Runtime on that same file, on real SciFact
/// batches with padding: last_hidden_state within 1e-4, mean-pooled normalised embeddings within 1e-5.
/// </summary>
public class OnnxCrossCheckTests
{
    /// <summary>Batches of 8 SciFact texts of mixed lengths (documents up to 256 tokens and short queries), so most rows are padded.</summary>
    internal static IEnumerable<string[]> SciFactBatches()
    {
        var ds = DatasetLocator.Open("scifact");
        var docs = ds.StreamCorpus().Take(20).Select(d => d.FullText).ToList();
        var queries = ds.QueriesOf("test").Take(12).Select(q => q.Text).ToList();
        var texts = docs.Zip(queries, (d, q) => new[] { d, q }).SelectMany(p => p).Concat(docs.Skip(queries.Count)).ToList();
        return texts.Chunk(8);
    }

    [Fact]
    public void LastHiddenStateAndPooledEmbeddingsMatchOnnxRuntime()
    {
        using var ort = new OnnxRuntimeEncoder(PretrainedMiniLm.Onnx);
        using var encoder = SentenceEncoder.Load(PretrainedMiniLm.Folder, CPU);
        encoder.eval();
        double hiddenDiff = 0, pooledDiff = 0, paddedDiff = 0;
        int padded = 0;
        foreach (var texts in SciFactBatches())
        {
            var batch = encoder.Tokenizer.EncodeBatch(texts, encoder.MaxSeqLength);
            padded += batch.Lengths.Count(l => l < batch.Length);
            var expected = ort.LastHiddenState(batch);
            var expectedPooled = ort.MeanPooledNormalized(batch);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var t = batch.ToTensors(CPU);
            var hidden = encoder.Transformer.HiddenStates(t.InputIds, t.AttentionMask, t.TokenTypeIds).contiguous().data<float>().ToArray();
            var pooled = encoder.forward(t.InputIds, t.AttentionMask, t.TokenTypeIds).contiguous().data<float>().ToArray();
            Assert.Equal(expected.Length, hidden.Length);
            // Real tokens are compared; the outputs at padded positions are never used (pooling masks them) and are reported only.
            int h = encoder.Dimension;
            for (int i = 0; i < hidden.Length; i++)
            {
                double d = Math.Abs(hidden[i] - expected[i]);
                if (batch.AttentionMask[i / h] == 1) hiddenDiff = Math.Max(hiddenDiff, d);
                else paddedDiff = Math.Max(paddedDiff, d);
            }
            for (int b = 0; b < batch.BatchSize; b++)
                for (int k = 0; k < encoder.Dimension; k++)
                    pooledDiff = Math.Max(pooledDiff, Math.Abs(pooled[b * encoder.Dimension + k] - expectedPooled[b][k]));
        }
        Assert.True(padded > 10, $"only {padded} padded rows: the check must cover padding");
        Assert.True(hiddenDiff <= 1e-4, $"last_hidden_state max abs difference {hiddenDiff:E2} > 1e-4");
        Assert.True(pooledDiff <= 1e-5, $"pooled + normalised max abs difference {pooledDiff:E2} > 1e-5");
        Console.WriteLine($"MiniLM vs ONNX Runtime: last_hidden_state max |Δ| {hiddenDiff:E2}, pooled+normalised max |Δ| {pooledDiff:E2} (padded positions, not checked: {paddedDiff:E2})");
    }

    [Fact]
    public void ImportRecoversEveryBertParameterOfMiniLm()
    {
        var weights = OnnxBertImport.Import(OnnxGraph.Load(PretrainedMiniLm.Onnx));
        Assert.Equal(new BertConfig(VocabSize: 30522, HiddenSize: 384, NumHiddenLayers: 6, NumAttentionHeads: 12, IntermediateSize: 1536), weights.Config);
        Assert.True(weights.HasPooler);
        Assert.Equal(5 + 6 * 16 + 2, weights.Parameters.Count);
        // query weight of layer 0 is an anonymous MatMul initializer in this export: placed by its bias, transposed to [out, in].
        Assert.Contains(weights.Notes, n => n.StartsWith("encoder.layer.0.attention.self.query.weight ← ", StringComparison.Ordinal));
        Assert.Equal([384L, 384L], weights.Parameters["encoder.layer.0.attention.self.query.weight"].Shape);
        Assert.Equal([1536L, 384L], weights.Parameters["encoder.layer.0.intermediate.dense.weight"].Shape);
    }

    [Fact]
    public void ImportedFolderLoadsWithConfigsOfAllMiniLm()
    {
        using var encoder = SentenceEncoder.Load(PretrainedMiniLm.Folder, CPU);
        Assert.Equal(new PoolingOptions(PoolingMode.Mean, Normalize: true), encoder.PoolingOptions);
        Assert.Equal(256, encoder.MaxSeqLength);
        Assert.Equal(384, encoder.Dimension);
        Assert.True(encoder.Tokenizer.Options.Lowercase);
        // The package's vocab.txt has CRLF line ends; tokens must not keep the CR.
        Assert.Equal(30522, encoder.Tokenizer.Vocabulary.Count);
        Assert.Equal(101, encoder.Tokenizer.Vocabulary.IdOf("[CLS]"));
    }
}
