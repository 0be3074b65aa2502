using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Names and shapes of a decoder's tensors. The model works on Llama-style names (separate q/k/v and gate/up);
/// Phi-3 checkpoints store fused <c>qkv_proj</c> and <c>gate_up_proj</c>, which are split here exactly as HF slices them.
/// </summary>
public static class DecoderTensorLayout
{
    /// <summary>The tensors the model needs, by Llama-style name, with their shapes.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Canonical(DecoderConfig c)
    {
        var list = new List<(string, long[])> { ("model.embed_tokens.weight", [c.VocabSize, c.HiddenSize]) };
        long q = c.NumHeads * c.HeadDim, kv = c.NumKvHeads * c.HeadDim;
        for (var i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}.";
            list.Add((p + "input_layernorm.weight", [c.HiddenSize]));
            list.Add((p + "self_attn.q_proj.weight", [q, c.HiddenSize]));
            list.Add((p + "self_attn.k_proj.weight", [kv, c.HiddenSize]));
            list.Add((p + "self_attn.v_proj.weight", [kv, c.HiddenSize]));
            if (c.AttentionBias)
            {
                list.Add((p + "self_attn.q_proj.bias", [q]));
                list.Add((p + "self_attn.k_proj.bias", [kv]));
                list.Add((p + "self_attn.v_proj.bias", [kv]));
                // Llama and Qwen3 put attention_bias on o_proj too; Qwen2 biases q/k/v only.
                if (c.Family is DecoderFamily.Llama or DecoderFamily.Qwen3) list.Add((p + "self_attn.o_proj.bias", [c.HiddenSize]));
            }
            list.Add((p + "self_attn.o_proj.weight", [c.HiddenSize, q]));
            if (c.Family == DecoderFamily.Qwen3)
            {
                list.Add((p + "self_attn.q_norm.weight", [c.HeadDim]));
                list.Add((p + "self_attn.k_norm.weight", [c.HeadDim]));
            }
            list.Add((p + "post_attention_layernorm.weight", [c.HiddenSize]));
            list.Add((p + "mlp.gate_proj.weight", [c.IntermediateSize, c.HiddenSize]));
            list.Add((p + "mlp.up_proj.weight", [c.IntermediateSize, c.HiddenSize]));
            list.Add((p + "mlp.down_proj.weight", [c.HiddenSize, c.IntermediateSize]));
        }
        list.Add(("model.norm.weight", [c.HiddenSize]));
        if (!c.TieWordEmbeddings) list.Add(("lm_head.weight", [c.VocabSize, c.HiddenSize]));
        return list;
    }

    /// <summary>
    /// Turns checkpoint tensors (HF names) into the model's tensors, splitting Phi-3's fused projections.
    /// Missing or mis-shaped tensors raise one <see cref="InvalidDataException"/> that lists them all.
    /// </summary>
    public static Dictionary<string, Tensor> FromCheckpoint(DecoderConfig c, IReadOnlyDictionary<string, Tensor> checkpoint, string source)
    {
        var available = new Dictionary<string, Tensor>(checkpoint);
        if (c.Family == DecoderFamily.Phi3) SplitFused(c, available, source);
        var result = new Dictionary<string, Tensor>();
        var problems = new List<string>();
        foreach (var (name, shape) in Canonical(c))
        {
            if (!available.TryGetValue(name, out var t)) { problems.Add($"missing {name} [{string.Join(", ", shape)}]"); continue; }
            if (!t.shape.SequenceEqual(shape)) { problems.Add($"{name} has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", shape)}]"); continue; }
            result[name] = t;
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: checkpoint does not match its config ({DecoderConfig.ArchitectureName(c.Family)}): {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? $"; and {problems.Count - 20} more" : "")}");
        return result;
    }

    /// <summary>Model tensors back to the checkpoint's own names (fusing for Phi-3), for export.</summary>
    public static Dictionary<string, Tensor> ToCheckpoint(DecoderConfig c, IReadOnlyDictionary<string, Tensor> model)
    {
        var result = new Dictionary<string, Tensor>(model);
        if (c.Family != DecoderFamily.Phi3) return result;
        for (var i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}.";
            result[p + "self_attn.qkv_proj.weight"] = cat([model[p + "self_attn.q_proj.weight"], model[p + "self_attn.k_proj.weight"], model[p + "self_attn.v_proj.weight"]], 0);
            result[p + "mlp.gate_up_proj.weight"] = cat([model[p + "mlp.gate_proj.weight"], model[p + "mlp.up_proj.weight"]], 0);
            foreach (var n in new[] { "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight" })
                result.Remove(p + n);
        }
        return result;
    }

    // Phi3Attention: q = qkv[..., :H*d], k = qkv[..., H*d : H*d + KV*d], v = the rest. Phi3MLP: gate, up = gate_up.chunk(2, -1).
    static void SplitFused(DecoderConfig c, Dictionary<string, Tensor> t, string source)
    {
        long q = c.NumHeads * c.HeadDim, kv = c.NumKvHeads * c.HeadDim;
        for (var i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}.";
            if (t.Remove(p + "self_attn.qkv_proj.weight", out var qkv))
            {
                if (qkv.shape.Length != 2 || qkv.shape[0] != q + 2 * kv)
                    throw new InvalidDataException($"{source}: {p}self_attn.qkv_proj.weight has shape [{string.Join(", ", qkv.shape)}], expected [{q + 2 * kv}, {c.HiddenSize}]");
                t[p + "self_attn.q_proj.weight"] = qkv.narrow(0, 0, q).contiguous();
                t[p + "self_attn.k_proj.weight"] = qkv.narrow(0, q, kv).contiguous();
                t[p + "self_attn.v_proj.weight"] = qkv.narrow(0, q + kv, kv).contiguous();
            }
            if (t.Remove(p + "mlp.gate_up_proj.weight", out var gu))
            {
                if (gu.shape.Length != 2 || gu.shape[0] != 2L * c.IntermediateSize)
                    throw new InvalidDataException($"{source}: {p}mlp.gate_up_proj.weight has shape [{string.Join(", ", gu.shape)}], expected [{2L * c.IntermediateSize}, {c.HiddenSize}]");
                t[p + "mlp.gate_proj.weight"] = gu.narrow(0, 0, c.IntermediateSize).contiguous();
                t[p + "mlp.up_proj.weight"] = gu.narrow(0, c.IntermediateSize, c.IntermediateSize).contiguous();
            }
        }
    }
}
