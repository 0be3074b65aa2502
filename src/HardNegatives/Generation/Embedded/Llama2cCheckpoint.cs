using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Reads karpathy/llama2.c's legacy checkpoint format (version 0, as <c>run.c</c> memory-maps it) into Hugging Face
/// Llama layout. Header: seven int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size — negative when the
/// classifier is not shared with the embedding — and seq_len); then float32 tensors in run.c's order.
/// </summary>
/// <remarks>
/// llama2.c rotates adjacent pairs (2j, 2j+1) of each head; HF rotates (j, j + head_size/2). The q and k projection rows
/// are therefore permuted per head (llama2.c's export.py <c>permute_original</c>) so the HF-layout model computes the same
/// attention scores. run.c's stored freq_cis tables are skipped: it recomputes them as 1/10000^(2j/head_size), which is
/// HF's default inv_freq with rope_theta 10000.
/// </remarks>
public static class Llama2cCheckpoint
{
    /// <summary>llama2.c's BOS token; run.c starts from it and stops when the model emits it again.</summary>
    public const int Bos = 1;

    /// <summary>True when the file looks like a llama2.c checkpoint rather than a Hugging Face folder.</summary>
    public static bool IsLlama2cFile(string path) => File.Exists(path) && path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the config and the weights (HF names, HF rotary layout, float32 on CPU).</summary>
    public static (DecoderConfig Config, Dictionary<string, Tensor> Weights) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 28) throw new InvalidDataException($"{path}: too short for a llama2.c checkpoint header (28 bytes)");
        var header = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(0, 28)).ToArray();
        if (header[0] == 0x616b3432) // "ak42": llama2.c's newer versioned export
            throw new InvalidDataException($"{path}: llama2.c version-1/2 export (magic ak42); only the legacy format (export.py --version 0) is supported.");
        int dim = header[0], hidden = header[1], layers = header[2], heads = header[3], kvHeads = header[4], seqLen = header[6];
        var shared = header[5] > 0;
        var vocab = Math.Abs(header[5]);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || seqLen <= 0 || dim % heads != 0 || heads % kvHeads != 0)
            throw new InvalidDataException($"{path}: implausible llama2.c header [{string.Join(", ", header)}]");
        var headSize = dim / heads;
        var kvDim = kvHeads * headSize;
        long expected = 28 + 4L * ((long)vocab * dim + layers * (2L * dim + (long)dim * dim * 2 + 2L * dim * kvDim + 3L * dim * hidden) + dim + (long)seqLen * headSize + (shared ? 0 : (long)vocab * dim));
        if (bytes.Length != expected)
            throw new InvalidDataException($"{path}: {bytes.Length} bytes, but a legacy llama2.c checkpoint with header [{string.Join(", ", header)}] has {expected}.");

        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(28)).ToArray();
        var offset = 0;
        float[] Take(long n) { var a = floats.AsSpan(offset, (int)n).ToArray(); offset += (int)n; return a; }
        Tensor Matrix(float[] data, long rows, long cols) => tensor(data, [rows, cols]);

        var config = new DecoderConfig
        {
            Family = DecoderFamily.Llama,
            HiddenSize = dim, IntermediateSize = hidden, NumLayers = layers, NumHeads = heads, NumKvHeads = kvHeads,
            HeadDim = headSize, VocabSize = vocab, MaxPositionEmbeddings = seqLen, RmsNormEps = 1e-5, RopeTheta = 10000.0,
            TieWordEmbeddings = shared, BosTokenId = Bos, EosTokenIds = [2],
        };
        var w = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = Matrix(Take((long)vocab * dim), vocab, dim) };
        var rmsAtt = Take((long)layers * dim);
        var wq = Take((long)layers * dim * dim);
        var wk = Take((long)layers * kvDim * dim);
        var wv = Take((long)layers * kvDim * dim);
        var wo = Take((long)layers * dim * dim);
        var rmsFfn = Take((long)layers * dim);
        var w1 = Take((long)layers * hidden * dim);
        var w2 = Take((long)layers * dim * hidden);
        var w3 = Take((long)layers * hidden * dim);
        w["model.norm.weight"] = tensor(Take(dim), [dim]);
        Take((long)seqLen * headSize); // freq_cis_real and freq_cis_imag (seq_len * head_size / 2 each), recomputed
        if (!shared) w["lm_head.weight"] = Matrix(Take((long)vocab * dim), vocab, dim);

        for (var l = 0; l < layers; l++)
        {
            var p = $"model.layers.{l}.";
            w[p + "input_layernorm.weight"] = tensor(rmsAtt.AsSpan(l * dim, dim).ToArray(), [dim]);
            w[p + "self_attn.q_proj.weight"] = Matrix(ToRotateHalf(Slice(wq, l, dim * dim), heads, headSize, dim), dim, dim);
            w[p + "self_attn.k_proj.weight"] = Matrix(ToRotateHalf(Slice(wk, l, kvDim * dim), kvHeads, headSize, dim), kvDim, dim);
            w[p + "self_attn.v_proj.weight"] = Matrix(Slice(wv, l, kvDim * dim), kvDim, dim);
            w[p + "self_attn.o_proj.weight"] = Matrix(Slice(wo, l, dim * dim), dim, dim);
            w[p + "post_attention_layernorm.weight"] = tensor(rmsFfn.AsSpan(l * dim, dim).ToArray(), [dim]);
            w[p + "mlp.gate_proj.weight"] = Matrix(Slice(w1, l, hidden * dim), hidden, dim);
            w[p + "mlp.down_proj.weight"] = Matrix(Slice(w2, l, dim * hidden), dim, hidden);
            w[p + "mlp.up_proj.weight"] = Matrix(Slice(w3, l, hidden * dim), hidden, dim);
        }
        return (config, w);
    }

    static float[] Slice(float[] all, int layer, int size) => all.AsSpan(layer * size, size).ToArray();

    /// <summary>
    /// Reorders the rows of a [heads * head_size, cols] projection from interleaved pairs to halves:
    /// new row h*hs + c*hs/2 + j = old row h*hs + 2j + c (c in {0, 1}).
    /// </summary>
    public static float[] ToRotateHalf(float[] w, int heads, int headSize, int cols)
    {
        var result = new float[w.Length];
        var half = headSize / 2;
        for (var h = 0; h < heads; h++)
            for (var j = 0; j < half; j++)
                for (var c = 0; c < 2; c++)
                    Array.Copy(w, (long)(h * headSize + 2 * j + c) * cols, result, (long)(h * headSize + c * half + j) * cols, cols);
        return result;
    }
}
