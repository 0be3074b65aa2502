using HardNegatives.Models.Onnx.Proto;

namespace HardNegatives.Models.Onnx;

/// <summary>One node of an ONNX graph: operator, inputs, outputs and the attributes an import reads.</summary>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, long> IntAttributes, IReadOnlyDictionary<string, float> FloatAttributes, IReadOnlyDictionary<string, string> StringAttributes,
    IReadOnlyDictionary<string, long[]> IntListAttributes)
{
    public override string ToString() => $"{OpType} node '{Name}'";
}

/// <summary>
/// An ONNX model read with Google.Protobuf (classes generated from <c>onnx_subset.proto</c>): its nodes, its constant tensors
/// (initializers and Constant nodes' values, by name), and who produces and consumes each value.
/// </summary>
public sealed class OnnxGraph
{
    readonly Dictionary<string, List<(OnnxNode Node, int Input)>> _consumers = new(StringComparer.Ordinal);
    readonly Dictionary<string, OnnxNode> _producers = new(StringComparer.Ordinal);

    OnnxGraph(string source, ModelProto model)
    {
        Source = source;
        var graph = model.Graph ?? throw new InvalidDataException($"{source}: the ONNX model has no graph");
        Producer = $"{model.ProducerName} {model.ProducerVersion}".Trim();
        Opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        Inputs = [.. graph.Input.Select(i => i.Name)];
        Outputs = [.. graph.Output.Select(o => o.Name)];
        var constants = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer) constants[t.Name] = OnnxTensor.From(t);
        var nodes = new List<OnnxNode>(graph.Node.Count);
        foreach (var n in graph.Node)
        {
            var node = new OnnxNode(n.Name, n.OpType, [.. n.Input], [.. n.Output],
                n.Attribute.Where(a => a.Type == 2).ToDictionary(a => a.Name, a => a.I),
                n.Attribute.Where(a => a.Type == 1).ToDictionary(a => a.Name, a => a.F),
                n.Attribute.Where(a => a.Type == 3).ToDictionary(a => a.Name, a => a.S.ToStringUtf8()),
                n.Attribute.Where(a => a.Type == 7).ToDictionary(a => a.Name, a => a.Ints.ToArray()));
            nodes.Add(node);
            if (n.OpType == "Constant" && n.Output.Count == 1 && ConstantValue(n) is { } value) constants[n.Output[0]] = value;
            for (int i = 0; i < n.Input.Count; i++)
                if (n.Input[i].Length > 0)
                {
                    if (!_consumers.TryGetValue(n.Input[i], out var list)) _consumers[n.Input[i]] = list = [];
                    list.Add((node, i));
                }
            foreach (var o in n.Output) _producers[o] = node;
        }
        Nodes = nodes;
        Constants = constants;
    }

    /// <summary>A Constant node's value: <c>value</c> (a tensor) or, from opset 12, <c>value_int(s)</c> / <c>value_float(s)</c>.</summary>
    static OnnxTensor? ConstantValue(NodeProto n)
    {
        var name = n.Output[0];
        foreach (var a in n.Attribute)
            switch (a.Name)
            {
                case "value" when a.T is not null: return OnnxTensor.From(a.T, name);
                case "value_int": return new OnnxTensor(name, [], null, [a.I]);
                case "value_ints": return new OnnxTensor(name, [a.Ints.Count], null, [.. a.Ints]);
                case "value_float": return new OnnxTensor(name, [], [a.F], null);
                case "value_floats": return new OnnxTensor(name, [a.Floats.Count], [.. a.Floats], null);
            }
        return null;
    }

    /// <summary>Reads an <c>.onnx</c> file.</summary>
    public static OnnxGraph Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model not found: {path}", path);
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    /// <summary>Reads an ONNX model from a stream; <paramref name="source"/> names it in errors.</summary>
    public static OnnxGraph Parse(Stream stream, string source)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(stream); }
        catch (Google.Protobuf.InvalidProtocolBufferException e) { throw new InvalidDataException($"{source}: not an ONNX model ({e.Message})", e); }
        return new OnnxGraph(source, model);
    }

    /// <summary>A graph from an already parsed (or built) model, for tests and tools that edit graphs.</summary>
    internal static OnnxGraph FromProto(ModelProto model, string source) => new(source, model);

    public string Source { get; }

    /// <summary>producer_name and producer_version (e.g. "pytorch 2.1.0").</summary>
    public string Producer { get; }

    /// <summary>The default-domain opset version.</summary>
    public long Opset { get; }

    public IReadOnlyList<string> Inputs { get; }
    public IReadOnlyList<string> Outputs { get; }
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>Initializers and Constant-node values by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Constants { get; }

    /// <summary>The nodes that read <paramref name="value"/>, with the input position.</summary>
    public IReadOnlyList<(OnnxNode Node, int Input)> ConsumersOf(string value) =>
        _consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>The node that writes <paramref name="value"/>, or null for graph inputs and initializers.</summary>
    public OnnxNode? ProducerOf(string value) => _producers.GetValueOrDefault(value);
}
