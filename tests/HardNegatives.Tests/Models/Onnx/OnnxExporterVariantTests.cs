using HardNegatives.Models.Onnx;
using HardNegatives.Models.Onnx.Proto;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>
/// The importer on all-MiniLM-L6-v2 rewritten as other exporters write it (<see cref="MiniLmExporterVariants"/>): it must recover
/// exactly the parameters and config of the original graph, and fail naming the tensor when a weight's use is not one it knows.
/// </summary>
public class OnnxExporterVariantTests
{
    static readonly Lazy<OnnxBertWeights> Original = new(() => Import(MiniLmExporterVariants.Copy()));

    static OnnxBertWeights Import(ModelProto model) => OnnxBertImport.Import(OnnxGraph.FromProto(model, "rewritten.onnx"));

    static void AssertSameAsOriginal(OnnxBertWeights weights)
    {
        Assert.Equal(Original.Value.Config, weights.Config);
        Assert.Equal(Original.Value.Parameters.Keys.Order(), weights.Parameters.Keys.Order());
        foreach (var (name, expected) in Original.Value.Parameters)
        {
            Assert.Equal(expected.Shape, weights.Parameters[name].Shape);
            Assert.True(expected.Floats.AsSpan().SequenceEqual(weights.Parameters[name].Floats.AsSpan()), $"{name} differs");
        }
    }

    [Fact]
    public void PyTorch2Dynamo_NamedOutInWeights_LayerNormalization_HeadsAsMinusOne()
    {
        var weights = Import(MiniLmExporterVariants.PyTorch2Dynamo());
        AssertSameAsOriginal(weights);
        // Every weight has its HF name here, so nothing is placed by its bias.
        Assert.Empty(weights.Notes);
    }

    [Fact]
    public void Opset11_UnsqueezeAxesAttributes_HeadsFromConstantNodes()
    {
        var weights = Import(MiniLmExporterVariants.Opset11());
        AssertSameAsOriginal(weights);
        Assert.Contains(weights.Notes, n => n.StartsWith("encoder.layer.0.attention.self.query.weight ← ", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutPooler_GivesABertModelWithoutPooler()
    {
        var weights = Import(MiniLmExporterVariants.WithoutPooler(MiniLmExporterVariants.Opset11()));
        Assert.False(weights.HasPooler);
        Assert.DoesNotContain(weights.Parameters.Keys, k => k.StartsWith("pooler.", StringComparison.Ordinal));
        Assert.Equal(Original.Value.Parameters.Count - 2, weights.Parameters.Count);
    }

    [Fact]
    public void PoolerInitializersThatNoNodeReads_AreKeptAsStored()
    {
        var weights = Import(MiniLmExporterVariants.WithoutPooler(MiniLmExporterVariants.PyTorch2Dynamo(), keepInitializers: true));
        AssertSameAsOriginal(weights);
        Assert.Contains(weights.Notes, n => n.StartsWith("pooler.dense.weight ← pooler.dense.weight (read by no node", StringComparison.Ordinal));
    }

    [Fact]
    public void LayerNormalizationWithoutEpsilon_HasOnnxDefault()
    {
        var model = MiniLmExporterVariants.PyTorch2Dynamo();
        foreach (var ln in model.Graph.Node.Where(n => n.OpType == "LayerNormalization"))
            ln.Attribute.Remove(ln.Attribute.Single(a => a.Name == "epsilon"));
        Assert.Equal(1e-5, Import(model).Config.LayerNormEps);
    }

    [Fact]
    public void NamedWeightReadThroughAnUnknownOperator_FailsNamingIt()
    {
        var model = MiniLmExporterVariants.PyTorch2Dynamo();
        const string weight = "encoder.layer.4.output.dense.weight";
        // Scale the weight before its Transpose: a use the importer cannot read as a Linear layer.
        var transpose = model.Graph.Node.Single(n => n.OpType == "Transpose" && n.Input[0] == weight);
        transpose.Input[0] = "scaled";
        model.Graph.Node.Insert(model.Graph.Node.IndexOf(transpose), new NodeProto
        {
            OpType = "Mul", Name = "scale_weight", Input = { weight, "embeddings.LayerNorm.weight" }, Output = { "scaled" },
        });
        var e = Assert.Throws<InvalidDataException>(() => Import(model));
        Assert.Contains($"cannot place tensor '{weight}' [384, 1536] (read by Mul node 'scale_weight')", e.Message);
    }

    [Fact]
    public void AnonymousInitializerThatNoNodeReads_FailsNamingIt()
    {
        var model = MiniLmExporterVariants.PyTorch2Dynamo();
        var stray = new TensorProto { Name = "onnx::Unused_7", DataType = 1, RawData = Google.Protobuf.ByteString.CopyFrom(new byte[384 * 4 * 2]) };
        stray.Dims.Add([2, 384]);
        model.Graph.Initializer.Add(stray);
        var e = Assert.Throws<InvalidDataException>(() => Import(model));
        Assert.Contains("cannot place tensor 'onnx::Unused_7' [2, 384] (read by no node)", e.Message);
    }

    [Fact]
    public void IdentityBetweenWeightAndMatMul_IsSeenThrough()
    {
        // TorchScript writes Identity where a parameter is reused under a second name.
        var model = MiniLmExporterVariants.Copy();
        var matmul = model.Graph.Node.First(n => n.OpType == "MatMul" && model.Graph.Initializer.Any(t => t.Name == n.Input[1]));
        var identity = new NodeProto { OpType = "Identity", Name = "alias", Input = { matmul.Input[1] }, Output = { "alias_out" } };
        model.Graph.Node.Insert(model.Graph.Node.IndexOf(matmul), identity);
        matmul.Input[1] = "alias_out";
        AssertSameAsOriginal(Import(model));
    }
}
