using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Autoregressive generation for a batch of prompts: left padding (so every row's next token is at the last column),
/// positions counted over real tokens only, one prefill pass, then one token per step through the KV cache.
/// </summary>
public sealed class DecoderGenerator(DecoderModel model)
{
    public DecoderModel Model { get; } = model;

    /// <summary>
    /// Generates for every prompt (token ids, BOS included if the model wants one). <paramref name="onStep"/> receives
    /// the tokens chosen at each step (-1 for rows already finished), for streaming.
    /// </summary>
    public IReadOnlyList<GeneratedSequence> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options,
        Action<IReadOnlyList<int>>? onStep = null, CancellationToken cancellationToken = default)
    {
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        var device = Model.Device;
        var batch = prompts.Count;
        var promptLen = prompts.Max(p => p.Count);
        var ids = new long[batch * promptLen];
        var mask = new bool[batch * promptLen];
        for (var b = 0; b < batch; b++)
        {
            var pad = promptLen - prompts[b].Count;
            for (var i = 0; i < prompts[b].Count; i++)
            {
                ids[b * promptLen + pad + i] = prompts[b][i];
                mask[b * promptLen + pad + i] = true;
            }
        }
        var outputs = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var finished = new FinishReason?[batch];
        var stops = options.StopTokens.ToHashSet();
        using var sampler = new TokenSampler(options, device);
        using var cache = new KvCache(Model.Config, batch, promptLen + Math.Max(options.MaxNewTokens, 1), Model.DType, device);
        using var outer = NewDisposeScope();
        var keyMask = tensor(mask, [batch, promptLen], device: device);
        // HF: position_ids = cumsum(attention_mask) - 1, with padding positions set to 1 (they are masked anyway).
        var positions = keyMask.to(ScalarType.Int64).cumsum(1) - 1;
        positions = positions.masked_fill(keyMask.logical_not(), 1);
        var input = tensor(ids, [batch, promptLen], device: device);
        var logits = Model.Forward(input, positions, keyMask, cache, lastPositionOnly: true);
        var last = positions.narrow(1, promptLen - 1, 1);
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var next = sampler.Next(logits.select(1, -1)).cpu().data<long>().ToArray();
            var chosen = new int[batch];
            for (var b = 0; b < batch; b++)
            {
                chosen[b] = -1;
                if (finished[b] is not null) continue;
                var token = (int)next[b];
                chosen[b] = token;
                if (stops.Contains(token)) { finished[b] = FinishReason.Stop; continue; }
                outputs[b].Add(token);
                if (outputs[b].Count >= options.MaxNewTokens) finished[b] = FinishReason.Length;
            }
            onStep?.Invoke(chosen);
            if (finished.All(f => f is not null)) break;
            // Finished rows keep decoding a harmless token so the batch stays rectangular; their output is frozen.
            var feed = tensor(chosen.Select(t => (long)Math.Max(t, 0)).ToArray(), [batch, 1], device: device);
            keyMask = cat([keyMask, ones([batch, 1], ScalarType.Bool, device)], 1).MoveToOuterDisposeScope();
            last = (last + 1).MoveToOuterDisposeScope();
            var newLogits = Model.Forward(feed, last, keyMask, cache, lastPositionOnly: true);
            logits.Dispose();
            logits = newLogits.MoveToOuterDisposeScope();
        }
        return outputs.Select((o, b) => new GeneratedSequence(o, finished[b] ?? FinishReason.Length)).ToList();
    }
}
