using HardNegatives.Models;
using HardNegatives.Models.Onnx;
using HardNegatives.Models.Onnx.Proto;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>
/// all-MiniLM-L6-v2 rewritten as other exporters write it (<see cref="MiniLmExporterVariants"/>: PyTorch 2 dynamo at opset 18,
/// PyTorch 1.x at opset 11; with a <c>pooler_output</c> and without the pooler), imported by the kit and run by ONNX Runtime
/// from the same file: our last_hidden_state must equal ORT's within 1e-4 on a padded SciFact batch, and so must the pooler output.
/// </summary>
public class OnnxExporterCrossCheckTests
{
    public static TheoryData<string, bool> Variants => new() { { "dynamo", true }, { "dynamo", false }, { "opset11", true }, { "opset11", false } };

    static ModelProto Build(string style, bool pooler)
    {
        var model = style == "dynamo" ? MiniLmExporterVariants.PyTorch2Dynamo() : MiniLmExporterVariants.Opset11();
        return pooler ? MiniLmExporterVariants.WithPoolerOutput(model) : MiniLmExporterVariants.WithoutPooler(model);
    }

    [Theory, MemberData(nameof(Variants))]
    public void ImportedModelMatchesOnnxRuntimeOnTheRewrittenGraph(string style, bool pooler)
    {
        var dir = Directory.CreateTempSubdirectory("hn-onnx-variant-").FullName;
        try
        {
            var path = Path.Combine(dir, $"{style}.onnx");
            MiniLmExporterVariants.Save(Build(style, pooler), path);
            var folder = Path.Combine(dir, "model");
            var report = OnnxModelImporter.Import(path, PretrainedMiniLm.Vocab, folder, PretrainedModels.AllMiniLmL6V2.Options);
            Assert.Equal(new BertConfig(VocabSize: 30522, HiddenSize: 384, NumHiddenLayers: 6, NumAttentionHeads: 12, IntermediateSize: 1536), report.Config);
            Assert.Equal(pooler, report.HasPooler);
            var (hiddenDiff, poolerDiff, padded) = Compare(path, folder, pooler);
            Assert.True(padded >= 4, $"only {padded} padded rows: the check must cover padding");
            Assert.True(hiddenDiff <= 1e-4, $"{style}: last_hidden_state max abs difference {hiddenDiff:E2} > 1e-4");
            Assert.True(poolerDiff <= 1e-4, $"{style}: pooler_output max abs difference {poolerDiff:E2} > 1e-4");
            Console.WriteLine($"{style} ({report.Producer}){(pooler ? " + pooler" : "")} vs ONNX Runtime: last_hidden_state max |Δ| {hiddenDiff:E2}"
                + (pooler ? $", pooler_output max |Δ| {poolerDiff:E2}" : ""));
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Max |Δ| of last_hidden_state on real tokens and of pooler_output (0 without pooler), and the padded rows, on the first SciFact batch.</summary>
    static (double Hidden, double Pooler, int Padded) Compare(string onnxPath, string folder, bool pooler)
    {
        using var ort = new OnnxRuntimeEncoder(onnxPath);
        using var encoder = SentenceEncoder.Load(folder, CPU);
        encoder.eval();
        var batch = encoder.Tokenizer.EncodeBatch(OnnxCrossCheckTests.SciFactBatches().First(), encoder.MaxSeqLength);
        var expected = ort.LastHiddenState(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var t = batch.ToTensors(CPU);
        var hidden = encoder.Transformer.HiddenStates(t.InputIds, t.AttentionMask, t.TokenTypeIds);
        var ours = hidden.contiguous().data<float>().ToArray();
        Assert.Equal(expected.Length, ours.Length);
        double hiddenDiff = 0, poolerDiff = 0;
        for (int i = 0; i < ours.Length; i++)
            if (batch.AttentionMask[i / encoder.Dimension] == 1) hiddenDiff = Math.Max(hiddenDiff, Math.Abs(ours[i] - expected[i]));
        if (pooler)
        {
            var pooled = Assert.IsType<BertModel>(encoder.Transformer).Pool(hidden).contiguous().data<float>().ToArray();
            var expectedPooled = ort.Output(batch, "pooler_output");
            Assert.Equal(expectedPooled.Length, pooled.Length);
            for (int i = 0; i < pooled.Length; i++) poolerDiff = Math.Max(poolerDiff, Math.Abs(pooled[i] - expectedPooled[i]));
        }
        return (hiddenDiff, poolerDiff, batch.Lengths.Count(l => l < batch.Length));
    }
}
