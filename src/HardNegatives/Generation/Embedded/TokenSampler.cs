using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Picks next tokens from logits [B, vocab] with Hugging Face's order of warpers: temperature, top-k, top-p, then a
/// multinomial draw from a seeded torch generator. Temperature 0 is greedy argmax (first maximum on ties).
/// </summary>
public sealed class TokenSampler : IDisposable
{
    readonly SamplingOptions _options;
    readonly Generator? _generator;

    public TokenSampler(SamplingOptions options, Device device)
    {
        if (options.Temperature < 0) throw new ArgumentException($"temperature must be >= 0, got {options.Temperature}");
        if (options.TopP is <= 0 or > 1) throw new ArgumentException($"top-p must be in (0, 1], got {options.TopP}");
        if (options.TopK < 0) throw new ArgumentException($"top-k must be >= 0, got {options.TopK}");
        _options = options;
        if (options.Temperature > 0)
            _generator = new Generator((ulong)(options.Seed ?? DateTime.UtcNow.Ticks), device);
    }

    /// <summary>Next token per row, int64 [B].</summary>
    public Tensor Next(Tensor logits)
    {
        using var scope = NewDisposeScope();
        if (_generator is null) return logits.argmax(-1).MoveToOuterDisposeScope();
        var scores = logits.to(ScalarType.Float32) / _options.Temperature;
        if (_options.TopK > 0 && _options.TopK < scores.shape[^1])
        {
            var kth = scores.topk(_options.TopK, -1).values.narrow(-1, _options.TopK - 1, 1);
            scores = scores.masked_fill(scores.lt(kth), float.NegativeInfinity);
        }
        if (_options.TopP < 1.0)
        {
            // HF TopPLogitsWarper: sort ascending, drop tokens whose cumulative probability is <= 1 - top_p, keep the top one.
            var (sorted, indices) = scores.sort(-1, descending: false);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            var removeSorted = cumulative.le(1 - _options.TopP);
            removeSorted.narrow(-1, removeSorted.shape[^1] - 1, 1).fill_(false);
            var remove = removeSorted.scatter(-1, indices, removeSorted);
            scores = scores.masked_fill(remove, float.NegativeInfinity);
        }
        var probs = scores.softmax(-1);
        return multinomial(probs, 1, replacement: false, generator: _generator).squeeze(-1).MoveToOuterDisposeScope();
    }

    public void Dispose() => _generator?.Dispose();
}
