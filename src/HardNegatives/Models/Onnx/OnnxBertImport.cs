using System.Text.RegularExpressions;

namespace HardNegatives.Models.Onnx;

/// <summary>A BERT encoder recovered from an ONNX graph: its config and every <c>BertModel</c> parameter by Hugging Face name.</summary>
/// <param name="Config">Sizes from the weights' shapes; heads, activation and LayerNorm epsilon from the graph's operators.</param>
/// <param name="Parameters">HF name → tensor in PyTorch layout (<c>nn.Linear</c> weights [out, in]).</param>
/// <param name="HasPooler">Whether <c>pooler.dense</c> is in the graph (exports of the last hidden state usually drop it).</param>
/// <param name="Notes">How each anonymous weight was placed, for the import report.</param>
public sealed record OnnxBertWeights(BertConfig Config, IReadOnlyDictionary<string, OnnxTensor> Parameters, bool HasPooler, IReadOnlyList<string> Notes);

/// <summary>
/// Rebuilds Hugging Face <c>BertModel</c> parameters from an ONNX export of a BERT-family encoder (PyTorch's exporter, opset 11+,
/// with or without the pooler). Embeddings, LayerNorms and biases keep their HF names in such exports; a Linear weight is often an
/// anonymous initializer (<c>onnx::MatMul_123</c>, stored [in, out]) that feeds a MatMul whose output is added to the named bias, so
/// its name is the bias's with <c>weight</c> for <c>bias</c>, and it is transposed back. Gemm (with transB), Transpose → MatMul
/// (how PyTorch 2's dynamo exporter uses its HF-named [out, in] weights) and Identity nodes are followed too. Every parameter
/// must be found exactly once with the shape the config implies; a floating tensor that cannot be placed is named in the error.
/// </summary>
public static class OnnxBertImport
{
    static readonly Regex ParamName = new(
        @"(?:^|\.)((?:embeddings\.(?:word_embeddings|position_embeddings|token_type_embeddings|LayerNorm)\.(?:weight|bias))"
        + @"|(?:encoder\.layer\.\d+\.(?:attention\.self\.(?:query|key|value)|attention\.output\.(?:dense|LayerNorm)|intermediate\.dense|output\.(?:dense|LayerNorm))\.(?:weight|bias))"
        + @"|(?:pooler\.dense\.(?:weight|bias)))$", RegexOptions.CultureInvariant);

    /// <summary>The HF parameter name inside <paramref name="onnxName"/> (any prefix such as <c>bert.</c> or <c>0.auto_model.</c> dropped), or null.</summary>
    public static string? HfName(string onnxName) => ParamName.Match(onnxName) is { Success: true } m ? m.Groups[1].Value : null;

    /// <param name="numAttentionHeads">Heads, when the graph does not show them (its Reshape constants usually do).</param>
    public static OnnxBertWeights Import(OnnxGraph graph, int? numAttentionHeads = null)
    {
        var found = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var origin = new Dictionary<string, string>(StringComparer.Ordinal);
        var notes = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        void Place(string hfName, OnnxTensor value, string from)
        {
            if (found.ContainsKey(hfName))
                throw new InvalidDataException($"{graph.Source}: BERT parameter {hfName} is found twice: from {origin[hfName]} and from {from}");
            found[hfName] = value with { Name = hfName };
            origin[hfName] = from;
        }

        foreach (var (name, tensor) in graph.Constants)
        {
            if (!tensor.IsFloat || tensor.Count <= 1) continue;
            var hf = HfName(name);
            if (hf is not null && tensor.Shape.Length == 1) { Place(hf, tensor, $"'{name}'"); used.Add(name); continue; }
            if (tensor.Shape.Length != 2) continue;
            if (hf is not null && hf.Contains("embeddings.", StringComparison.Ordinal) && !hf.Contains("LayerNorm", StringComparison.Ordinal))
            { Place(hf, tensor, $"'{name}'"); used.Add(name); continue; }
            if (hf is not null && graph.ConsumersOf(name).Count == 0)
            {   // a state-dict tensor that no node reads (e.g. the pooler of a graph that outputs only last_hidden_state, from an
                // exporter that keeps unused initializers): as stored, PyTorch's [out, in]
                Place(hf, tensor, $"'{name}' (read by no node)");
                notes.Add($"{hf} ← {name} (read by no node; kept as stored)");
                used.Add(name);
                continue;
            }
            if (LinearWeight(graph, name) is { } linear)
            {
                var weightName = hf ?? linear.Name;
                if (hf is not null && linear.Name is { } biasBased && biasBased != hf)
                    throw new InvalidDataException($"{graph.Source}: weight '{name}' feeds the bias of {biasBased}");
                if (weightName is null) continue;
                Place(weightName, linear.Transposed ? Transpose(tensor) : tensor, $"'{name}' ({linear.How})");
                if (hf is null) notes.Add($"{weightName} ← {name} ({linear.How})");
                used.Add(name);
            }
        }

        var unplaced = graph.Constants.Values.Where(t => t.IsFloat && t.Count > 1 && !used.Contains(t.Name)).ToList();
        if (unplaced.Count > 0)
        {
            string Describe(OnnxTensor t)
            {
                var consumers = string.Join(", ", graph.ConsumersOf(t.Name).Select(c => c.Node.ToString()));
                return $"'{t.Name}' {t.ShapeText} (read by {(consumers.Length > 0 ? consumers : "no node")})";
            }
            var listed = unplaced.OrderBy(t => t.Name, StringComparer.Ordinal).Take(5).ToList();
            throw new InvalidDataException(
                $"{graph.Source}: cannot place tensor {string.Join("; ", listed.Select(Describe))} as a BERT parameter"
                + (unplaced.Count > listed.Count ? $" ({unplaced.Count - listed.Count} more unplaced)" : "")
                + ". The importer knows BERT-family encoders exported by PyTorch: named embeddings, LayerNorms and biases, and Linear "
                + "weights that feed MatMul + Add(named bias), Gemm(…, named bias) or Transpose → MatMul (through Identity nodes too).");
        }

        var config = OnnxBertConfigReader.Read(graph, found, numAttentionHeads);
        bool hasPooler = found.ContainsKey("pooler.dense.weight") || found.ContainsKey("pooler.dense.bias");
        Check(graph.Source, config, hasPooler, found);
        return new OnnxBertWeights(config, found, hasPooler, notes);
    }

    sealed record Linear(string? Name, bool Transposed, string How);

    /// <summary>
    /// Where a rank-2 constant is used as a Linear weight: MatMul(x, W) + bias ([in, out], transposed back), Gemm(x, W, bias)
    /// ([out, in] with transB=1), or Transpose(W) → MatMul ([out, in], as PyTorch 2's dynamo exporter and exports without
    /// constant folding write it). Name is the weight name derived from the bias, when named.
    /// </summary>
    static Linear? LinearWeight(OnnxGraph graph, string name)
    {
        foreach (var (node, input) in Uses(graph, name))
        {
            switch (node.OpType)
            {
                case "MatMul" when input == 1:
                    return new Linear(BiasAfter(graph, node.Outputs[0]), true, $"MatMul '{node.Name}' + bias, transposed");
                case "Gemm" when input == 1 && node.IntAttributes.GetValueOrDefault("transA") == 0:
                {
                    bool transB = node.IntAttributes.GetValueOrDefault("transB") == 1;
                    var bias = node.Inputs.Count > 2 ? WeightNameOfBias(Source(graph, node.Inputs[2])) : null;
                    return new Linear(bias, !transB, $"Gemm '{node.Name}'{(transB ? " transB" : ", transposed")}");
                }
                case "Transpose" when !node.IntListAttributes.TryGetValue("perm", out var perm) || perm is [1, 0]:
                    foreach (var (next, i) in Uses(graph, node.Outputs[0]))
                        if (next.OpType == "MatMul" && i == 1)
                            return new Linear(BiasAfter(graph, next.Outputs[0]), false, $"Transpose '{node.Name}' → MatMul '{next.Name}' + bias");
                    break;
            }
        }
        return null;
    }

    /// <summary>The weight name for the named bias added to <paramref name="value"/> (directly, as PyTorch exports Linear).</summary>
    static string? BiasAfter(OnnxGraph graph, string value)
    {
        foreach (var (node, input) in Uses(graph, value))
            if (node.OpType == "Add" && node.Inputs.Count == 2 && WeightNameOfBias(Source(graph, node.Inputs[1 - input])) is { } weight)
                return weight;
        return null;
    }

    /// <summary>The readers of <paramref name="value"/>, seen through Identity nodes (TorchScript writes one where a parameter is reused).</summary>
    static IEnumerable<(OnnxNode Node, int Input)> Uses(OnnxGraph graph, string value)
    {
        foreach (var use in graph.ConsumersOf(value))
            if (use.Node.OpType == "Identity") { foreach (var inner in Uses(graph, use.Node.Outputs[0])) yield return inner; }
            else yield return use;
    }

    /// <summary>The value behind a chain of Identity nodes.</summary>
    static string Source(OnnxGraph graph, string value) =>
        graph.ProducerOf(value) is { OpType: "Identity" } identity ? Source(graph, identity.Inputs[0]) : value;

    static string? WeightNameOfBias(string biasName) =>
        HfName(biasName) is { } hf && hf.EndsWith(".bias", StringComparison.Ordinal) && !hf.Contains("LayerNorm", StringComparison.Ordinal)
            ? hf[..^".bias".Length] + ".weight" : null;

    static OnnxTensor Transpose(OnnxTensor t)
    {
        int rows = (int)t.Shape[0], cols = (int)t.Shape[1];
        var src = t.Floats!;
        var dst = new float[src.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                dst[(long)c * rows + r] = src[(long)r * cols + c];
        return t with { Shape = [cols, rows], Floats = dst };
    }

    static void Check(string source, BertConfig c, bool hasPooler, Dictionary<string, OnnxTensor> found)
    {
        using var model = new BertModel(c, hasPooler, initialize: false);
        var expected = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, shape) in expected)
        {
            if (!found.TryGetValue(name, out var t)) problems.Add($"missing {name} {Shape(shape)}");
            else if (!t.Shape.SequenceEqual(shape)) problems.Add($"{name} is {t.ShapeText}, expected {Shape(shape)}");
        }
        foreach (var name in found.Keys.Where(n => !expected.ContainsKey(n))) problems.Add($"unexpected {name}");
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: the recovered BERT parameters do not fit a BertModel ({c.NumHiddenLayers} layers, hidden {c.HiddenSize}):\n  "
                + string.Join("\n  ", problems.Take(20)));
    }

    static string Shape(long[] s) => $"[{string.Join(", ", s)}]";
}
