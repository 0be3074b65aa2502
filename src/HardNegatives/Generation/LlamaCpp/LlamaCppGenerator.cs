using HardNegatives.Generation.Embedded;
using static TorchSharp.torch;

namespace HardNegatives.Generation.LlamaCpp;

/// <summary>
/// Autoregressive generation on llama.cpp with the same contract as <see cref="DecoderGenerator"/>: prompts of token ids,
/// <see cref="SamplingOptions"/> (temperature 0 = argmax, first maximum on ties; otherwise the kit's own
/// <see cref="TokenSampler"/> on llama.cpp's logits), stop tokens, and a per-step callback for streaming.
/// Prompts run together as parallel sequences of one batch when the model was loaded with enough
/// <see cref="LlamaCppOptions.Sequences"/>, else one after another, each in a fresh KV cache.
/// </summary>
public sealed class LlamaCppGenerator(LlamaCppModel model)
{
    public LlamaCppModel Model { get; } = model;

    public IReadOnlyList<GeneratedSequence> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options,
        Action<IReadOnlyList<int>>? onStep = null, CancellationToken cancellationToken = default)
    {
        var results = new List<GeneratedSequence>();
        using var sampler = new TokenSampler(options, CPU);
        var stops = options.StopTokens.ToHashSet();
        if (prompts.Count > 1 && prompts.Count <= Model.Options.Sequences) return GenerateTogether(prompts, options, sampler, stops, onStep, cancellationToken);
        foreach (var prompt in prompts)
        {
            if (prompt.Count == 0) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
            if (prompt.Count + options.MaxNewTokens > Model.ContextSize + 1)
                throw new ArgumentException($"prompt ({prompt.Count} tokens) plus {options.MaxNewTokens} new tokens exceed llama.cpp's context of {Model.ContextSize} positions ({Model.Path}); shorten the input or use a model with a longer context");
            Model.Reset();
            var output = new List<int>();
            var finish = FinishReason.Length;
            var logits = Model.Decode(prompt)[0];
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = options.Temperature == 0 ? ArgMax(logits) : Sample(sampler, logits);
                onStep?.Invoke([next]);
                if (stops.Contains(next)) { finish = FinishReason.Stop; break; }
                output.Add(next);
                if (output.Count >= options.MaxNewTokens) break;
                logits = Model.Decode([next], start: prompt.Count + output.Count - 1)[0];
            }
            results.Add(new GeneratedSequence(output, finish));
        }
        return results;
    }

    List<GeneratedSequence> GenerateTogether(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options, TokenSampler sampler,
        HashSet<int> stops, Action<IReadOnlyList<int>>? onStep, CancellationToken cancellationToken)
    {
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        Model.Reset();
        var prefill = prompts.SelectMany((p, s) => p.Select((t, i) => (t, i, s, i == p.Count - 1))).ToList();
        var logits = Model.DecodeBatch(prefill);
        var outputs = prompts.Select(_ => new List<int>()).ToArray();
        var finished = new FinishReason?[prompts.Count];
        var live = Enumerable.Range(0, prompts.Count).ToList();   // the sequences whose logits are in `logits`, in order
        for (var step = 0; step < options.MaxNewTokens && live.Count > 0; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chosen = Enumerable.Repeat(-1, prompts.Count).ToArray();
            var next = new List<(int, int, int, bool)>();
            for (var k = 0; k < live.Count; k++)
            {
                var s = live[k];
                var token = options.Temperature == 0 ? ArgMax(logits[k]) : Sample(sampler, logits[k]);
                chosen[s] = token;
                if (stops.Contains(token)) { finished[s] = FinishReason.Stop; continue; }
                outputs[s].Add(token);
                if (outputs[s].Count >= options.MaxNewTokens) { finished[s] = FinishReason.Length; continue; }
                next.Add((token, prompts[s].Count + outputs[s].Count - 1, s, true));
            }
            onStep?.Invoke(chosen);
            live = [.. next.Select(n => n.Item3)];
            if (next.Count > 0) logits = Model.DecodeBatch(next);
        }
        return [.. outputs.Select((o, s) => new GeneratedSequence(o, finished[s] ?? FinishReason.Length))];
    }

    static int ArgMax(float[] logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    static int Sample(TokenSampler sampler, float[] logits)
    {
        using var scope = NewDisposeScope();
        return (int)sampler.Next(tensor(logits, [1, logits.Length])).item<long>();
    }
}
