using HardNegatives.Generation.Embedded;
using TorchSharp;

namespace HardNegatives.Tests.Generation.Embedded;

/// <summary>
/// A plain-C# (double precision) transcription of Hugging Face's eager Llama / Qwen2 / Qwen3 / Phi3 forward for one
/// sequence, reading checkpoint-named tensors itself (it splits Phi-3's fused weights on its own). Independent of the
/// library's TorchSharp decoder, which the family tests compare against it.
/// </summary>
sealed class HfDecoderReference
{
    readonly DecoderConfig _c;
    readonly Dictionary<string, double[]> _w = new();
    readonly double[] _invFreq;
    readonly double _ropeScale;

    /// <param name="ropeScale">HF's attention_scaling: cos and sin are multiplied by it (longrope).</param>
    public HfDecoderReference(DecoderConfig config, IReadOnlyDictionary<string, torch.Tensor> checkpoint, double[] invFreq, double ropeScale = 1.0)
    {
        _c = config;
        _invFreq = invFreq;
        _ropeScale = ropeScale;
        foreach (var (name, t) in checkpoint)
            _w[name] = t.to(torch.ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    /// <summary>HF default inv_freq in double: 1 / theta^(2j / rotary_dim).</summary>
    public static double[] DefaultInvFreq(DecoderConfig c) =>
        Enumerable.Range(0, c.RotaryDim / 2).Select(j => 1.0 / Math.Pow(c.RopeTheta, 2.0 * j / c.RotaryDim)).ToArray();

    double[] W(string name) => _w[name];

    // y[o] = sum_i W[o, i] x[i] (+ b[o]), W row-major [rows, cols] starting at row `rowStart`.
    static double[] Linear(double[] x, double[] w, int rows, int cols, int rowStart = 0, double[]? bias = null)
    {
        var y = new double[rows];
        for (var o = 0; o < rows; o++)
        {
            double s = bias?[o] ?? 0;
            var off = (long)(rowStart + o) * cols;
            for (var i = 0; i < cols; i++) s += w[off + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    double[] Rms(double[] x, double[] weight, int off = 0, int n = -1)
    {
        if (n < 0) n = x.Length;
        var ss = 0.0;
        for (var i = 0; i < n; i++) ss += x[off + i] * x[off + i];
        var r = 1 / Math.Sqrt(ss / n + _c.RmsNormEps);
        var y = new double[n];
        for (var i = 0; i < n; i++) y[i] = weight[i] * (x[off + i] * r);
        return y;
    }

    void Rope(double[] vec, int heads, int pos)
    {
        int hd = _c.HeadDim, rot = _c.RotaryDim, half = rot / 2;
        for (var h = 0; h < heads; h++)
            for (var j = 0; j < half; j++)
            {
                var angle = pos * _invFreq[j];
                double cos = Math.Cos(angle) * _ropeScale, sin = Math.Sin(angle) * _ropeScale;
                int a = h * hd + j, b = h * hd + j + half;
                double x1 = vec[a], x2 = vec[b];
                vec[a] = x1 * cos - x2 * sin; // rotate_half(x) = (-x2, x1)
                vec[b] = x2 * cos + x1 * sin;
            }
    }

    /// <summary>Logits [T][vocab] for the sequence, causal attention, positions 0..T-1.</summary>
    public double[][] Forward(IReadOnlyList<int> tokens)
    {
        var c = _c;
        int hid = c.HiddenSize, hd = c.HeadDim, nq = c.NumHeads * hd, nkv = c.NumKvHeads * hd, T = tokens.Count, inter = c.IntermediateSize;
        var emb = W("model.embed_tokens.weight");
        var x = tokens.Select(t => emb.AsSpan(t * hid, hid).ToArray()).ToArray();
        var phi = c.Family == DecoderFamily.Phi3;
        for (var l = 0; l < c.NumLayers; l++)
        {
            var p = $"model.layers.{l}.";
            var keys = new double[T][];
            var values = new double[T][];
            var queries = new double[T][];
            for (var t = 0; t < T; t++)
            {
                var h = Rms(x[t], W(p + "input_layernorm.weight"));
                double[] q, k, v;
                if (phi)
                {
                    var qkv = W(p + "self_attn.qkv_proj.weight");
                    q = Linear(h, qkv, nq, hid, 0);
                    k = Linear(h, qkv, nkv, hid, nq);
                    v = Linear(h, qkv, nkv, hid, nq + nkv);
                }
                else
                {
                    q = Linear(h, W(p + "self_attn.q_proj.weight"), nq, hid, 0, _w.GetValueOrDefault(p + "self_attn.q_proj.bias"));
                    k = Linear(h, W(p + "self_attn.k_proj.weight"), nkv, hid, 0, _w.GetValueOrDefault(p + "self_attn.k_proj.bias"));
                    v = Linear(h, W(p + "self_attn.v_proj.weight"), nkv, hid, 0, _w.GetValueOrDefault(p + "self_attn.v_proj.bias"));
                }
                if (c.Family == DecoderFamily.Qwen3)
                {
                    for (var hh = 0; hh < c.NumHeads; hh++) Rms(q, W(p + "self_attn.q_norm.weight"), hh * hd, hd).CopyTo(q, hh * hd);
                    for (var hh = 0; hh < c.NumKvHeads; hh++) Rms(k, W(p + "self_attn.k_norm.weight"), hh * hd, hd).CopyTo(k, hh * hd);
                }
                Rope(q, c.NumHeads, t);
                Rope(k, c.NumKvHeads, t);
                queries[t] = q; keys[t] = k; values[t] = v;
            }
            var rep = c.NumHeads / c.NumKvHeads;
            for (var t = 0; t < T; t++)
            {
                var attn = new double[nq];
                for (var hh = 0; hh < c.NumHeads; hh++)
                {
                    var kv = hh / rep;
                    var scores = new double[t + 1];
                    for (var s = 0; s <= t; s++)
                    {
                        var dot = 0.0;
                        for (var i = 0; i < hd; i++) dot += queries[t][hh * hd + i] * keys[s][kv * hd + i];
                        scores[s] = dot / Math.Sqrt(hd);
                    }
                    var max = scores.Max();
                    var exps = scores.Select(z => Math.Exp(z - max)).ToArray();
                    var sum = exps.Sum();
                    for (var s = 0; s <= t; s++)
                        for (var i = 0; i < hd; i++) attn[hh * hd + i] += exps[s] / sum * values[s][kv * hd + i];
                }
                var o = Linear(attn, W(p + "self_attn.o_proj.weight"), hid, nq, 0, _w.GetValueOrDefault(p + "self_attn.o_proj.bias"));
                for (var i = 0; i < hid; i++) x[t][i] += o[i];
                var h2 = Rms(x[t], W(p + "post_attention_layernorm.weight"));
                double[] gate, up;
                if (phi)
                {
                    var gu = W(p + "mlp.gate_up_proj.weight");
                    gate = Linear(h2, gu, inter, hid, 0);
                    up = Linear(h2, gu, inter, hid, inter);
                }
                else
                {
                    gate = Linear(h2, W(p + "mlp.gate_proj.weight"), inter, hid);
                    up = Linear(h2, W(p + "mlp.up_proj.weight"), inter, hid);
                }
                var act = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
                var down = Linear(act, W(p + "mlp.down_proj.weight"), hid, inter);
                for (var i = 0; i < hid; i++) x[t][i] += down[i];
            }
        }
        var head = c.TieWordEmbeddings ? emb : W("lm_head.weight");
        return x.Select(row => Linear(Rms(row, W("model.norm.weight")), head, c.VocabSize, hid)).ToArray();
    }
}
