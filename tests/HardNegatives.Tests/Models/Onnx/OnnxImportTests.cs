using Google.Protobuf;
using HardNegatives.Models.Onnx;
using HardNegatives.Models.Onnx.Proto;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>
/// The importer on edited copies of all-MiniLM-L6-v2's graph: other exporters' ways of writing a Linear weight must give the
/// same parameters, and a graph it cannot map must fail naming the tensor.
/// </summary>
public class OnnxImportTests
{
    static ModelProto Copy() => MiniLmExporterVariants.Copy();

    static OnnxBertWeights Import(ModelProto model) => OnnxBertImport.Import(OnnxGraph.FromProto(model, "edited.onnx"));

    /// <summary>The anonymous weight of the first MatMul that feeds <paramref name="biasName"/>'s Add.</summary>
    static (NodeProto MatMul, TensorProto Weight) LinearFeeding(ModelProto model, string biasName)
    {
        var add = model.Graph.Node.First(n => n.OpType == "Add" && n.Input.Contains(biasName));
        var matmulOut = add.Input.First(i => i != biasName);
        var matmul = model.Graph.Node.First(n => n.OpType == "MatMul" && n.Output.Contains(matmulOut));
        return (matmul, model.Graph.Initializer.First(t => t.Name == matmul.Input[1]));
    }

    [Fact]
    public void TransposeThenMatMul_GivesTheSameWeights()
    {
        var model = Copy();
        const string bias = "encoder.layer.2.attention.self.key.bias";
        var (matmul, weight) = LinearFeeding(model, bias);
        // Store the weight as [out, in] under a new name and transpose it in the graph, as some exporters do.
        int rows = (int)weight.Dims[0], cols = (int)weight.Dims[1];
        var src = weight.RawData.ToByteArray();
        var dst = new byte[src.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                Buffer.BlockCopy(src, (r * cols + c) * 4, dst, (c * rows + r) * 4, 4);
        var stored = new TensorProto { Name = "stored_out_in", DataType = 1, RawData = ByteString.CopyFrom(dst) };
        stored.Dims.Add([cols, rows]);
        model.Graph.Initializer.Remove(weight);
        model.Graph.Initializer.Add(stored);
        model.Graph.Node.Add(new NodeProto { Name = "t0", OpType = "Transpose", Input = { "stored_out_in" }, Output = { "stored_t" } });
        matmul.Input[1] = "stored_t";

        var edited = Import(model);
        var original = Import(Copy());
        Assert.Equal(original.Parameters.Count, edited.Parameters.Count);
        Assert.Equal(original.Parameters["encoder.layer.2.attention.self.key.weight"].Floats, edited.Parameters["encoder.layer.2.attention.self.key.weight"].Floats);
        Assert.Contains(edited.Notes, n => n.Contains("Transpose 't0'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnonymousBias_FailsNamingTheTensorsItCannotPlace()
    {
        var model = Copy();
        const string bias = "encoder.layer.3.intermediate.dense.bias";
        var (_, weight) = LinearFeeding(model, bias);
        model.Graph.Initializer.First(t => t.Name == bias).Name = "onnx::Add_999";
        foreach (var n in model.Graph.Node)
            for (int i = 0; i < n.Input.Count; i++)
                if (n.Input[i] == bias) n.Input[i] = "onnx::Add_999";

        var e = Assert.Throws<InvalidDataException>(() => Import(model));
        Assert.Contains("cannot place tensor", e.Message);
        Assert.Contains($"'{weight.Name}' [384, 1536]", e.Message);
        Assert.Contains("'onnx::Add_999' [1536]", e.Message);
    }

    [Fact]
    public void MissingLayerNorm_IsNamed()
    {
        var model = Copy();
        var ln = model.Graph.Initializer.First(t => t.Name == "encoder.layer.5.output.LayerNorm.weight");
        ln.Name = "encoder.layer.5.output.LayerNorm.gamma";
        var e = Assert.Throws<InvalidDataException>(() => Import(model));
        Assert.Contains("encoder.layer.5.output.LayerNorm.gamma", e.Message);
    }

    [Fact]
    public void HeadsAreReadFromValueIntConstants_AsNewerExportersWriteThem()
    {
        var model = Copy();
        // This export builds the attention's Reshape shapes with Concat(…, Unsqueeze(12), Unsqueeze(32)) from small int64
        // tensors; rewrite every such tensor (initializer or Constant 'value') as an opset-12 Constant with value_int(s).
        static long[] Longs(TensorProto t) => t.RawData.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : [.. t.Int64Data];
        static NodeProto IntConstant(string output, TensorProto t)
        {
            var values = Longs(t);
            var attr = t.Dims.Count == 0 ? new AttributeProto { Name = "value_int", Type = 2, I = values[0] } : new AttributeProto { Name = "value_ints", Type = 7 };
            if (t.Dims.Count > 0) attr.Ints.Add(values);
            return new NodeProto { OpType = "Constant", Name = "c_" + output, Output = { output }, Attribute = { attr } };
        }
        int rewritten = 0;
        foreach (var t in model.Graph.Initializer.Where(t => t.DataType == 7 && t.Dims.Aggregate(1L, (a, b) => a * b) == 1).ToList())
        {
            model.Graph.Initializer.Remove(t);
            model.Graph.Node.Insert(0, IntConstant(t.Name, t));
            rewritten++;
        }
        foreach (var n in model.Graph.Node.Where(n => n.OpType == "Constant").ToList())
            if (n.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { DataType: 7 } t && t.Dims.Aggregate(1L, (a, b) => a * b) == 1)
            {
                model.Graph.Node[model.Graph.Node.IndexOf(n)] = IntConstant(n.Output[0], t);
                rewritten++;
            }
        Assert.True(rewritten > 0);
        Assert.Equal(12, Import(model).Config.NumAttentionHeads);
    }

    [Fact]
    public void NotOnnx_SaysSo()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
            var e = Assert.Throws<InvalidDataException>(() => OnnxGraph.Load(path));
            Assert.Contains("not an ONNX model", e.Message);
        }
        finally { File.Delete(path); }
    }
}
