using System.Globalization;
using System.Text.RegularExpressions;

namespace HardNegatives.Models.Onnx;

/// <summary>
/// The <see cref="BertConfig"/> of an imported ONNX encoder: sizes from the placed weights' shapes; heads, activation and
/// LayerNorm epsilon from the graph's operators, which exporters write in several ways (shape constants or Concat of Constant
/// nodes; Erf, Tanh or a fused Gelu; LayerNormalization or its decomposed form).
/// </summary>
static class OnnxBertConfigReader
{
    /// <summary>The config that <paramref name="p"/> (the placed parameters) and the graph's operators imply.</summary>
    internal static BertConfig Read(OnnxGraph graph, IReadOnlyDictionary<string, OnnxTensor> p, int? heads)
    {
        OnnxTensor Get(string name) => p.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"{graph.Source}: BERT parameter {name} is not in the graph");
        var words = Get("embeddings.word_embeddings.weight");
        int hidden = (int)words.Shape[1];
        int layers = p.Keys.Select(k => Regex.Match(k, @"^encoder\.layer\.(\d+)\.")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value) + 1).DefaultIfEmpty(0).Max();
        if (layers == 0) throw new InvalidDataException($"{graph.Source}: no encoder.layer.N parameters found");
        int intermediate = (int)Get("encoder.layer.0.intermediate.dense.bias").Shape[0];
        int numHeads = heads ?? InferHeads(graph, hidden)
            ?? throw new InvalidDataException($"{graph.Source}: cannot tell the number of attention heads from the graph; pass it (--num-heads)");
        return new BertConfig(
            VocabSize: (int)words.Shape[0], HiddenSize: hidden, NumHiddenLayers: layers, NumAttentionHeads: numHeads,
            IntermediateSize: intermediate, HiddenAct: InferActivation(graph),
            MaxPositionEmbeddings: (int)Get("embeddings.position_embeddings.weight").Shape[0],
            TypeVocabSize: (int)Get("embeddings.token_type_embeddings.weight").Shape[0],
            LayerNormEps: InferLayerNormEps(graph)).Validate();
    }

    /// <summary>
    /// Heads from the attention's Reshape to [batch, seq, heads, head_dim]: a 4-element shape constant, or (dynamic shapes) the
    /// constants concatenated into it, whose last two values multiply to the hidden size. Transformers 4.48 and later write
    /// heads as -1 (<c>view(*input_shape, -1, head_dim)</c>); then heads = hidden / head_dim.
    /// </summary>
    static int? InferHeads(OnnxGraph graph, int hidden)
    {
        var votes = new Dictionary<int, int>();
        foreach (var node in graph.Nodes.Where(n => n.OpType == "Reshape" && n.Inputs.Count == 2))
        {
            long[]? shape = graph.Constants.TryGetValue(node.Inputs[1], out var c) ? c.Ints : ConcatOfConstants(graph, node.Inputs[1]);
            if (shape is not { Length: 4 } || shape[3] <= 0 || hidden % shape[3] != 0) continue;
            int heads = (int)(hidden / shape[3]);
            if (shape[2] == heads || shape[2] == -1) votes[heads] = votes.GetValueOrDefault(heads) + 1;
        }
        return votes.Count == 0 ? null : votes.MaxBy(kv => kv.Value).Key;
    }

    /// <summary>A Concat whose parts are constants or Unsqueeze of constants; unknown parts read as -1.</summary>
    static long[]? ConcatOfConstants(OnnxGraph graph, string value)
    {
        if (graph.ProducerOf(value) is not { OpType: "Concat" } concat) return null;
        var parts = new List<long>();
        foreach (var input in concat.Inputs)
        {
            var source = input;
            if (graph.ProducerOf(source) is { OpType: "Unsqueeze" } u) source = u.Inputs[0];
            if (graph.Constants.TryGetValue(source, out var c) && c.Ints is { } ints) parts.AddRange(ints);
            else parts.Add(-1);
        }
        return [.. parts];
    }

    /// <summary>Erf (exact GELU, HF "gelu"), Tanh with Pow (tanh approximation, "gelu_new"), or a fused Gelu node.</summary>
    static string InferActivation(OnnxGraph graph)
    {
        var ops = graph.Nodes.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal);
        if (graph.Nodes.FirstOrDefault(n => n.OpType is "Gelu" or "FastGelu") is { } gelu)
            return gelu.OpType == "FastGelu" || gelu.StringAttributes.GetValueOrDefault("approximate") == "tanh" ? "gelu_new" : "gelu";
        if (ops.Contains("Erf")) return "gelu";
        if (ops.Contains("Tanh") && ops.Contains("Pow")) return "gelu_new";
        if (ops.Contains("Relu")) return "relu";
        return "gelu";
    }

    /// <summary>LayerNormalization's epsilon, or the scalar added to the variance in the decomposed form (ReduceMean → Add eps → Sqrt).</summary>
    static double InferLayerNormEps(OnnxGraph graph)
    {
        foreach (var node in graph.Nodes)
        {
            if (node.OpType == "LayerNormalization")   // ONNX's default epsilon is 1e-5, not BERT's 1e-12
                return node.FloatAttributes.TryGetValue("epsilon", out var e) ? Round(e) : 1e-5;
            if (node.OpType == "Add" && node.Inputs.Count == 2)
                for (int i = 0; i < 2; i++)
                    if (graph.ProducerOf(node.Inputs[i]) is { OpType: "ReduceMean" }
                        && graph.Constants.TryGetValue(node.Inputs[1 - i], out var c) && c is { Count: 1, Floats: { } f }
                        && graph.ConsumersOf(node.Outputs[0]).Any(x => x.Node.OpType == "Sqrt"))
                        return Round(f[0]);
        }
        return new BertConfig().LayerNormEps;
    }

    /// <summary>The float32 epsilon as the decimal it was written from (9.99999996e-13 → 1e-12).</summary>
    static double Round(float value) => double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
