using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models;

/// <summary>
/// An independent forward pass of the post-norm BERT-family encoder in plain double arithmetic (loops, no TorchSharp ops),
/// written from the Hugging Face modeling code, to check the TorchSharp models' math. Padded keys are skipped outright
/// (what adding finfo.min achieves); GELU uses an erf series.
/// </summary>
sealed class ReferenceEncoder(IReadOnlyDictionary<string, (double[] Data, long[] Shape)> w, int heads, double eps)
{
    public static Dictionary<string, (double[] Data, long[] Shape)> Weights(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p =>
        {
            using var d = p.parameter.detach().to(ScalarType.Float64).cpu().contiguous();
            return (d.data<double>().ToArray(), d.shape);
        });

    double[] W(string name) => w[name].Data;

    public static double Erf(double x)
    {
        if (Math.Abs(x) > 5) return Math.Sign(x);
        double sum = 0, term = x; // term = (-1)^n x^(2n+1) / n!
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
            if (Math.Abs(term) < 1e-17) break;
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    // y = x·Wᵀ + b for x [T, in], W [out, in]
    double[][] Linear(double[][] x, string prefix)
    {
        var weight = W(prefix + ".weight");
        var bias = W(prefix + ".bias");
        int outDim = bias.Length, inDim = x[0].Length;
        return [.. x.Select(row =>
        {
            var y = new double[outDim];
            for (int o = 0; o < outDim; o++)
            {
                double s = bias[o];
                for (int i = 0; i < inDim; i++) s += weight[o * inDim + i] * row[i];
                y[o] = s;
            }
            return y;
        })];
    }

    double[][] LayerNorm(double[][] x, string prefix)
    {
        var g = W(prefix + ".weight");
        var b = W(prefix + ".bias");
        return [.. x.Select(row =>
        {
            double mean = row.Average();
            double variance = row.Select(v => (v - mean) * (v - mean)).Average(); // biased, as torch
            return row.Select((v, i) => (v - mean) / Math.Sqrt(variance + eps) * g[i] + b[i]).ToArray();
        })];
    }

    static double[][] Add(double[][] a, double[][] b) => [.. a.Select((r, t) => r.Select((v, i) => v + b[t][i]).ToArray())];

    double[][] Attention(double[][] x, int realLength, string q, string k, string v, string output)
    {
        var Q = Linear(x, q);
        var K = Linear(x, k);
        var V = Linear(x, v);
        int T = x.Length, H = x[0].Length, d = H / heads;
        var context = new double[T][];
        for (int t = 0; t < T; t++) context[t] = new double[H];
        for (int h = 0; h < heads; h++)
            for (int t = 0; t < T; t++)
            {
                var scores = new double[realLength];
                for (int s = 0; s < realLength; s++)
                {
                    double dot = 0;
                    for (int j = 0; j < d; j++) dot += Q[t][h * d + j] * K[s][h * d + j];
                    scores[s] = dot / Math.Sqrt(d);
                }
                double max = scores.Max();
                var e = scores.Select(z => Math.Exp(z - max)).ToArray();
                double sum = e.Sum();
                for (int s = 0; s < realLength; s++)
                    for (int j = 0; j < d; j++) context[t][h * d + j] += e[s] / sum * V[s][h * d + j];
            }
        return Linear(context, output);
    }

    /// <summary>DistilBERT last hidden state for one row (ids of length T, the first realLength real).</summary>
    public double[][] DistilBert(long[] ids, int realLength, int layers)
    {
        int H = (int)w["embeddings.word_embeddings.weight"].Shape[1];
        var x = ids.Select((id, t) => Enumerable.Range(0, H).Select(i =>
            W("embeddings.word_embeddings.weight")[id * H + i] + W("embeddings.position_embeddings.weight")[t * H + i]).ToArray()).ToArray();
        x = LayerNorm(x, "embeddings.LayerNorm");
        for (int l = 0; l < layers; l++)
        {
            var p = $"transformer.layer.{l}.";
            var a = Attention(x, realLength, p + "attention.q_lin", p + "attention.k_lin", p + "attention.v_lin", p + "attention.out_lin");
            var h = LayerNorm(Add(a, x), p + "sa_layer_norm");
            var f = Linear([.. Linear(h, p + "ffn.lin1").Select(r => r.Select(Gelu).ToArray())], p + "ffn.lin2");
            x = LayerNorm(Add(f, h), p + "output_layer_norm");
        }
        return x;
    }

    /// <summary>BertForSequenceClassification logits for one row.</summary>
    public double[] BertLogits(long[] ids, long[] types, int realLength, int layers)
    {
        int H = (int)w["bert.embeddings.word_embeddings.weight"].Shape[1];
        var x = ids.Select((id, t) => Enumerable.Range(0, H).Select(i =>
            W("bert.embeddings.word_embeddings.weight")[id * H + i] + W("bert.embeddings.position_embeddings.weight")[t * H + i]
            + W("bert.embeddings.token_type_embeddings.weight")[types[t] * H + i]).ToArray()).ToArray();
        x = LayerNorm(x, "bert.embeddings.LayerNorm");
        for (int l = 0; l < layers; l++)
        {
            var p = $"bert.encoder.layer.{l}.";
            var a = Attention(x, realLength, p + "attention.self.query", p + "attention.self.key", p + "attention.self.value", p + "attention.output.dense");
            var h = LayerNorm(Add(a, x), p + "attention.output.LayerNorm");
            var f = Linear([.. Linear(h, p + "intermediate.dense").Select(r => r.Select(Gelu).ToArray())], p + "output.dense");
            x = LayerNorm(Add(f, h), p + "output.LayerNorm");
        }
        var pooled = Linear([x[0]], "bert.pooler.dense")[0].Select(Math.Tanh).ToArray();
        return Linear([pooled], "classifier")[0];
    }
}
