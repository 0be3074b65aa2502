using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// A decoder-only transformer (Llama / Qwen2 / Qwen3 / Phi-3 families) computed functionally from named weights,
/// following the math of Hugging Face's eager implementations: RMSNorm in float32, rotate-half RoPE, grouped-query
/// attention with softmax in float32, SwiGLU MLP.
/// </summary>
public sealed class DecoderModel : IDisposable
{
    readonly Dictionary<string, Tensor> _w;
    readonly Tensor _invFreq;
    readonly Tensor _lmHead;

    /// <summary>Builds the model from checkpoint-named <paramref name="weights"/> (see <see cref="DecoderTensorLayout"/>), on <paramref name="device"/> in <paramref name="dtype"/>; the caller keeps ownership of <paramref name="weights"/>.</summary>
    public DecoderModel(DecoderConfig config, IReadOnlyDictionary<string, Tensor> weights, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        Config = config.Validate();
        Device = device ?? CPU;
        DType = dtype;
        // The model keeps its own handles (the caller still owns and disposes what it passed); splits and casts made here
        // are collected by this scope unless kept.
        using var scope = NewDisposeScope();
        var checkedWeights = DecoderTensorLayout.FromCheckpoint(config, weights, "weights");
        _w = new Dictionary<string, Tensor>();
        foreach (var (name, t) in checkedWeights)
        {
            var target = t.to(dtype, Device);
            if (ReferenceEquals(target, t)) target = t.alias();
            _w[name] = target.DetachFromDisposeScope();
        }
        _invFreq = tensor(RotaryEmbedding.InverseFrequencies(config), device: Device).DetachFromDisposeScope();
        _lmHead = config.TieWordEmbeddings ? _w["model.embed_tokens.weight"] : _w["lm_head.weight"];
    }

    public DecoderConfig Config { get; }
    public Device Device { get; }
    public ScalarType DType { get; }

    /// <summary>The model's tensors by name (read-only use: export, inspection).</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _w;

    /// <summary>Total number of parameters.</summary>
    public long ParameterCount => _w.Values.Sum(t => t.NumberOfElements);

    /// <summary>
    /// Logits [B, T, vocab] (float32) for tokens <paramref name="inputIds"/> [B, T] at <paramref name="positionIds"/> [B, T].
    /// <paramref name="keyMask"/> [B, past + T] marks real (true) versus padding (false) keys; null means all real.
    /// With a <paramref name="cache"/>, the new keys and values are appended after what it holds and attention spans both.
    /// <paramref name="lastPositionOnly"/> computes logits for the final position only (generation).
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor positionIds, Tensor? keyMask = null, KvCache? cache = null, bool lastPositionOnly = false)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var c = Config;
        long b = inputIds.shape[0], t = inputIds.shape[1];
        long past = cache?.Length ?? 0;
        inputIds = inputIds.to(Device);
        positionIds = positionIds.to(Device);

        // Causal mask over past + new keys, intersected with the padding mask: [B, 1, T, past + T].
        var qPos = arange(past, past + t, device: Device).unsqueeze(1);
        var kPos = arange(0, past + t, device: Device).unsqueeze(0);
        var allowed = kPos.le(qPos).unsqueeze(0).unsqueeze(0);
        if (keyMask is not null) allowed = allowed.logical_and(keyMask.to(Device).to(ScalarType.Bool).unsqueeze(1).unsqueeze(1));
        var notAllowed = allowed.logical_not().unsqueeze(1); // [B, 1, 1, T, past + T] against scores [B, kv, rep, T, past + T]

        if (c.LongRope is { } lr && past + t > lr.OriginalMaxPositionEmbeddings)
            throw new InvalidOperationException($"sequence of {past + t} positions exceeds the original context ({lr.OriginalMaxPositionEmbeddings}); longrope's long-factor regime is not implemented, so keep prompt + generated tokens within it.");
        var (cos, sin) = RotaryEmbedding.Tables(_invFreq, positionIds, RotaryEmbedding.AttentionScaling(c));
        var x = _w["model.embed_tokens.weight"].index_select(0, inputIds.reshape(-1)).view(b, t, c.HiddenSize);
        var scale = 1.0 / Math.Sqrt(c.HeadDim);
        var rep = c.NumHeads / c.NumKvHeads;
        for (var i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}.";
            var h = RmsNorm(x, _w[p + "input_layernorm.weight"]);
            var q = Linear(h, p + "self_attn.q_proj").view(b, t, c.NumHeads, c.HeadDim).transpose(1, 2);
            var k = Linear(h, p + "self_attn.k_proj").view(b, t, c.NumKvHeads, c.HeadDim).transpose(1, 2);
            var v = Linear(h, p + "self_attn.v_proj").view(b, t, c.NumKvHeads, c.HeadDim).transpose(1, 2);
            if (c.Family == DecoderFamily.Qwen3)
            {
                q = RmsNorm(q, _w[p + "self_attn.q_norm.weight"]);
                k = RmsNorm(k, _w[p + "self_attn.k_norm.weight"]);
            }
            q = RotaryEmbedding.Apply(q, cos, sin);
            k = RotaryEmbedding.Apply(k, cos, sin);
            if (cache is not null) (k, v) = cache.Append(i, k, v);
            // Grouped-query attention without copying keys/values per query head (HF's repeat_kv): query head h reads
            // kv head h / rep, so view the heads as [kv, rep] and broadcast k and v over rep.
            var qg = q.reshape(b, c.NumKvHeads, rep, t, c.HeadDim);
            var scores = qg.matmul(k.unsqueeze(2).transpose(-2, -1)).to(ScalarType.Float32) * scale;
            scores = scores.masked_fill(notAllowed, float.MinValue);
            var probs = scores.softmax(-1).to(v.dtype);
            var attn = probs.matmul(v.unsqueeze(2)).reshape(b, c.NumHeads, t, c.HeadDim).transpose(1, 2).reshape(b, t, c.NumHeads * c.HeadDim);
            x = x + Linear(attn, p + "self_attn.o_proj");
            h = RmsNorm(x, _w[p + "post_attention_layernorm.weight"]);
            var mlp = F.silu(Linear(h, p + "mlp.gate_proj")) * Linear(h, p + "mlp.up_proj");
            x = x + Linear(mlp, p + "mlp.down_proj");
        }
        cache?.Advance((int)t);
        if (lastPositionOnly) x = x.narrow(1, t - 1, 1);
        x = RmsNorm(x, _w["model.norm.weight"]);
        var logits = F.linear(x, _lmHead).to(ScalarType.Float32);
        return logits.MoveToOuterDisposeScope();
    }

    Tensor Linear(Tensor x, string prefix) =>
        F.linear(x, _w[prefix + ".weight"], _w.GetValueOrDefault(prefix + ".bias"));

    // HF LlamaRMSNorm: variance in float32, then weight * normalized.to(input dtype).
    Tensor RmsNorm(Tensor x, Tensor weight)
    {
        var xf = x.to(ScalarType.Float32);
        var normed = xf * (xf.pow(2).mean([-1L], keepdim: true) + Config.RmsNormEps).rsqrt();
        return weight * normed.to(x.dtype);
    }

    public void Dispose()
    {
        foreach (var t in _w.Values) t.Dispose();
        _invFreq.Dispose();
    }
}
