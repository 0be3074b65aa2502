using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Keys and values of every layer for a batch, preallocated to a fixed capacity so decoding never reallocates:
/// [batch, kv_heads, capacity, head_dim] per layer, of which the first <see cref="Length"/> positions are filled.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] _keys;
    readonly Tensor[] _values;

    public KvCache(DecoderConfig config, int batch, int capacity, ScalarType dtype, Device device)
    {
        Capacity = capacity;
        Batch = batch;
        _keys = new Tensor[config.NumLayers];
        _values = new Tensor[config.NumLayers];
        for (var l = 0; l < config.NumLayers; l++)
        {
            _keys[l] = zeros([batch, config.NumKvHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            _values[l] = zeros([batch, config.NumKvHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    public int Batch { get; }
    public int Capacity { get; }
    /// <summary>Positions already stored.</summary>
    public int Length { get; private set; }

    /// <summary>Bytes held by the cache tensors (all layers, keys and values, full capacity).</summary>
    public long Bytes => _keys.Concat(_values).Sum(t => t.NumberOfElements * t.ElementSize);

    /// <summary>Stores k, v [B, kv_heads, T, head_dim] after the filled part; returns views of everything stored so far.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var t = (int)k.shape[2];
        if (Length + t > Capacity)
            throw new InvalidOperationException($"KV cache capacity {Capacity} exceeded ({Length} stored + {t} new); generate fewer tokens or allocate a larger cache.");
        _keys[layer].narrow(2, Length, t).copy_(k);
        _values[layer].narrow(2, Length, t).copy_(v);
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Marks <paramref name="count"/> more positions filled (after every layer has appended them).</summary>
    internal void Advance(int count) => Length += count;

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
    }
}
