using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Google.Protobuf;
using HardNegatives.Models.Onnx.Proto;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>
/// all-MiniLM-L6-v2's ONNX graph (PyTorch 1.10's TorchScript exporter, opset 13, anonymous [in, out] MatMul weights, a Gemm
/// pooler) rewritten into the forms other exporters write, with the same weights, so that ONNX Runtime runs each rewrite and
/// the importer must recover the same model from it. No real opset-11 or PyTorch-2 export of a BERT is available offline.
/// </summary>
static class MiniLmExporterVariants
{
    static readonly Lazy<ModelProto> Original = new(() => { using var s = File.OpenRead(PretrainedMiniLm.Onnx); return ModelProto.Parser.ParseFrom(s); });

    /// <summary>A fresh copy of the package's graph (tensor bytes are shared, not copied).</summary>
    public static ModelProto Copy() => Original.Value.Clone();

    /// <summary>
    /// As PyTorch 2's dynamo exporter (opset 18) writes a BERT: every Linear weight an initializer with its Hugging Face name in
    /// PyTorch's [out, in] layout, reaching MatMul through Transpose(perm=[1, 0]) (even layers) or, on the input flattened to
    /// rank 2, Gemm(transB=1) with the bias (odd layers, reshaped back); LayerNorm as one LayerNormalization node; the attention
    /// reshape [batch, seq, -1, head_dim] as Transformers 4.48+ writes it (heads not in the graph).
    /// </summary>
    public static ModelProto PyTorch2Dynamo()
    {
        var model = Copy();
        var g = model.Graph;
        foreach (var matmul in g.Node.Where(n => n.OpType == "MatMul" && Initializer(g, n.Input[1]) is { Dims.Count: 2 }).ToList())
        {
            var add = g.Node.Single(n => n.OpType == "Add" && n.Input.Contains(matmul.Output[0]));
            var bias = add.Input.Single(i => i != matmul.Output[0]);
            var anonymous = Initializer(g, matmul.Input[1])!;
            var named = TransposedCopy(anonymous, bias[..^"bias".Length] + "weight");
            g.Initializer.Remove(anonymous);
            g.Initializer.Add(named);
            int layer = int.Parse(Regex.Match(bias, @"^encoder\.layer\.(\d+)\.").Groups[1].Value);
            if (layer % 2 == 0)
            {
                var transposed = named.Name + ".T";
                g.Node.Insert(g.Node.IndexOf(matmul), Node("Transpose", [named.Name], [transposed], Ints("perm", 1, 0)));
                matmul.Input[1] = transposed;
            }
            else
            {
                // x [B, S, in] → [B·S, in] → Gemm → [B·S, out] → [B, S, out] (batch and length read from x's shape).
                string x = matmul.Input[0], id = named.Name;
                long inDim = named.Dims[1], outDim = named.Dims[0];
                g.Initializer.Add(Int64s(id + ".flat", [-1, inDim]));
                g.Initializer.Add(Int64s(id + ".start", [0]));
                g.Initializer.Add(Int64s(id + ".end", [2]));
                g.Initializer.Add(Int64s(id + ".out", [outDim]));
                int at = g.Node.IndexOf(matmul);
                g.Node.Remove(matmul);
                g.Node.Remove(add);
                g.Node.Insert(at, Node("Reshape", [x, id + ".flat"], [id + ".x2"]));
                g.Node.Insert(at + 1, Node("Gemm", [id + ".x2", id, bias], [id + ".y2"], Int("transB", 1)));
                g.Node.Insert(at + 2, Node("Shape", [x], [id + ".xshape"]));
                g.Node.Insert(at + 3, Node("Slice", [id + ".xshape", id + ".start", id + ".end"], [id + ".bs"]));
                g.Node.Insert(at + 4, Node("Concat", [id + ".bs", id + ".out"], [id + ".yshape"], Int("axis", 0)));
                g.Node.Insert(at + 5, Node("Reshape", [id + ".y2", id + ".yshape"], [add.Output[0]]));
            }
        }
        FuseLayerNorms(g);
        foreach (var concat in g.Node.Where(n => n.OpType == "Concat" && n.Input.Count == 4 && g.Node.Any(r => r.OpType == "Reshape" && r.Input[1] == n.Output[0])))
            if (Initializer(g, concat.Input[2]) is { DataType: 7 } heads && Longs(heads) is [12])
                heads.RawData = ByteString.CopyFrom(BitConverter.GetBytes(-1L));
        RemoveUnreadConstants(g);
        SetOpset(model, 18, irVersion: 8, "pytorch", "2 (dynamo-style rewrite of all-MiniLM-L6-v2 by the kit's tests)");
        return model;
    }

    /// <summary>
    /// As PyTorch 1.x writes opset 11: Unsqueeze's axes an attribute (an input from opset 13), and the attention reshape's
    /// heads and head size scalar Constant nodes each unsqueezed into the Concat (not [1]-shaped initializers).
    /// </summary>
    public static ModelProto Opset11()
    {
        var model = Copy();
        var g = model.Graph;
        foreach (var unsqueeze in g.Node.Where(n => n.OpType == "Unsqueeze" && n.Input.Count == 2).ToList())
        {
            var axes = ConstantLongs(g, unsqueeze.Input[1]);
            unsqueeze.Input.RemoveAt(1);
            unsqueeze.Attribute.Add(Ints("axes", axes));
        }
        foreach (var concat in g.Node.Where(n => n.OpType == "Concat" && n.Input.Count == 4).ToList())
            foreach (var part in concat.Input.Skip(2).ToList())
                if (Initializer(g, part) is { DataType: 7, Dims: [1] } small)
                {
                    g.Initializer.Remove(small);
                    var scalar = new TensorProto { DataType = 7, RawData = small.RawData };
                    int at = g.Node.IndexOf(concat);
                    g.Node.Insert(at, new NodeProto { OpType = "Constant", Name = part + ".c", Output = { part + ".scalar" }, Attribute = { new AttributeProto { Name = "value", Type = 4, T = scalar } } });
                    g.Node.Insert(at + 1, Node("Unsqueeze", [part + ".scalar"], [part], Ints("axes", 0)));
                }
        RemoveUnreadConstants(g);
        SetOpset(model, 11, irVersion: 6, "pytorch", "1.x (opset-11 rewrite of all-MiniLM-L6-v2 by the kit's tests)");
        return model;
    }

    /// <summary>The pooler's output named <c>pooler_output</c> (as Optimum and Transformers' exporter name it).</summary>
    public static ModelProto WithPoolerOutput(ModelProto model)
    {
        var g = model.Graph;
        var tanh = g.Node.Single(n => n.OpType == "Tanh");
        var old = tanh.Output[0];
        tanh.Output[0] = "pooler_output";
        g.Output.Single(o => o.Name == old).Name = "pooler_output";
        return model;
    }

    /// <summary>The pooler's nodes and output removed (an export of last_hidden_state only); its initializers too unless kept.</summary>
    public static ModelProto WithoutPooler(ModelProto model, bool keepInitializers = false)
    {
        var g = model.Graph;
        var tanh = g.Node.Single(n => n.OpType == "Tanh");
        var gemm = g.Node.Single(n => n.Output.Contains(tanh.Input[0]));
        var gather = g.Node.Single(n => n.Output.Contains(gemm.Input[0]));
        var index = g.Node.SingleOrDefault(n => n.OpType == "Constant" && n.Output.Contains(gather.Input[1]));
        foreach (var n in new[] { tanh, gemm, gather, index }) if (n is not null) g.Node.Remove(n);
        g.Output.Remove(g.Output.Single(o => o.Name == tanh.Output[0]));
        if (!keepInitializers)
            foreach (var name in gemm.Input.Skip(1)) g.Initializer.Remove(Initializer(g, name)!);
        return model;
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>.</summary>
    public static void Save(ModelProto model, string path)
    {
        using var file = File.Create(path);
        model.WriteTo(file);
    }

    /// <summary>
    /// ReduceMean → Sub → Pow → ReduceMean → Add(eps) → Sqrt → Div → Mul(γ) → Add(β), as TorchScript decomposes LayerNorm,
    /// becomes one LayerNormalization(x, γ, β, epsilon) node (opset 17+).
    /// </summary>
    static void FuseLayerNorms(GraphProto g)
    {
        NodeProto Producer(string v) => g.Node.Single(n => n.Output.Contains(v));
        NodeProto Reader(string v, string op) => g.Node.Single(n => n.OpType == op && n.Input.Contains(v));
        string Other(NodeProto n, string v) => n.Input.Single(i => i != v);
        int fused = 0;
        foreach (var sqrt in g.Node.Where(n => n.OpType == "Sqrt").ToList())
        {
            var addEps = Producer(sqrt.Input[0]);
            var variance = Producer(addEps.Input[0]);
            float eps = MemoryMarshal.Cast<byte, float>(Producer(addEps.Input[1]).Attribute.Single(a => a.Name == "value").T.RawData.Span)[0];
            var pow = Producer(variance.Input[0]);
            var sub = Producer(pow.Input[0]);
            var mean = Producer(sub.Input[1]);
            var div = Reader(sqrt.Output[0], "Div");
            var mul = Reader(div.Output[0], "Mul");
            var addBeta = Reader(mul.Output[0], "Add");
            var ln = Node("LayerNormalization", [sub.Input[0], Other(mul, div.Output[0]), Other(addBeta, mul.Output[0])], [addBeta.Output[0]],
                Int("axis", -1), new AttributeProto { Name = "epsilon", Type = 1, F = eps });
            g.Node.Insert(g.Node.IndexOf(addBeta), ln);
            foreach (var n in new[] { mean, sub, pow, variance, addEps, sqrt, div, mul, addBeta }) g.Node.Remove(n);
            fused++;
        }
        if (fused != 13) throw new InvalidOperationException($"expected MiniLM's 13 LayerNorms, fused {fused}");
    }

    /// <summary>Drops the Constant nodes and initializers a rewrite left unread (an exporter would not write them; ONNX Runtime warns about each).</summary>
    static void RemoveUnreadConstants(GraphProto g)
    {
        var read = g.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var n in g.Node.Where(n => n.OpType == "Constant" && !read.Contains(n.Output[0])).ToList()) g.Node.Remove(n);
        foreach (var t in g.Initializer.Where(t => !read.Contains(t.Name)).ToList()) g.Initializer.Remove(t);
    }

    static TensorProto? Initializer(GraphProto g, string name) => g.Initializer.FirstOrDefault(t => t.Name == name);

    static long[] Longs(TensorProto t) => t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : [.. t.Int64Data];

    /// <summary>The int64 values of an initializer or a Constant node's value.</summary>
    static long[] ConstantLongs(GraphProto g, string name) =>
        Initializer(g, name) is { } t ? Longs(t)
            : Longs(g.Node.Single(n => n.OpType == "Constant" && n.Output.Contains(name)).Attribute.Single(a => a.Name == "value").T);

    static TensorProto TransposedCopy(TensorProto w, string name)
    {
        int rows = (int)w.Dims[0], cols = (int)w.Dims[1];
        var src = MemoryMarshal.Cast<byte, float>(w.RawData.Span);
        var dst = new float[src.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                dst[c * rows + r] = src[r * cols + c];
        var t = new TensorProto { Name = name, DataType = 1, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(dst.AsSpan()).ToArray()) };
        t.Dims.Add([cols, rows]);
        return t;
    }

    static TensorProto Int64s(string name, long[] values)
    {
        var t = new TensorProto { Name = name, DataType = 7, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()) };
        t.Dims.Add(values.Length);
        return t;
    }

    static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = $"rewrite/{op}/{outputs[0]}" };
        n.Input.Add(inputs);
        n.Output.Add(outputs);
        n.Attribute.Add(attributes);
        return n;
    }

    static AttributeProto Int(string name, long value) => new() { Name = name, Type = 2, I = value };

    static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = 7 };
        a.Ints.Add(values);
        return a;
    }

    static void SetOpset(ModelProto model, long opset, long irVersion, string producer, string version)
    {
        model.OpsetImport.Single(o => o.Domain is "" or "ai.onnx").Version = opset;
        model.IrVersion = irVersion;
        model.ProducerName = producer;
        model.ProducerVersion = version;
    }
}
