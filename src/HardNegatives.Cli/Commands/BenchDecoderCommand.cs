using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HardNegatives.Generation.Embedded;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn bench decoder</c>: generation throughput of the embedded decoder on random weights of a real model's shape,
/// batch 1 and batch 16 with the KV cache against a no-cache (full recompute) baseline in the same run, and the KV
/// cache's allocated memory as the prompt grows. Prints a Markdown section for BENCHMARKS.md.
/// </summary>
static class BenchDecoderCommand
{

    public static Command Create(string name)
    {
        var shape = new Option<string>("--shape") { Description = "qwen2.5-0.5b (default) or tiny (a quick smoke run).", DefaultValueFactory = _ => "qwen2.5-0.5b" };
        var prompt = new Option<int>("--prompt-tokens") { Description = "Prompt length per sequence.", DefaultValueFactory = _ => 32 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens generated per sequence.", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch") { Description = "The larger batch size.", DefaultValueFactory = _ => 16 };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var bf16 = new Option<bool>("--bf16") { Description = "Compute in bfloat16 (the CUDA default)." };
        var threads = new Option<int>("--threads") { Description = "LibTorch CPU threads (0 = LibTorch's default). On a machine shared with other work, 1 avoids OpenMP spin contention." };
        var cmd = new Command(name, "Embedded decoder tokens/s (batch 1 and N, KV cache vs full recompute) and KV-cache memory vs prompt length.")
            { shape, prompt, newTokens, batch, device, bf16, threads };
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(threads) > 0) torch.set_num_threads(parse.GetValue(threads));
            var config = parse.GetValue(shape) switch
            {
                "qwen2.5-0.5b" => DecoderShapes.Qwen25HalfB,
                "tiny" => DecoderShapes.Tiny,
                var s => throw new ArgumentException($"--shape {s}: use qwen2.5-0.5b or tiny"),
            };
            Run(config, parse.GetValue(shape)!, parse.GetValue(prompt), parse.GetValue(newTokens), parse.GetValue(batch),
                torch.device(parse.GetValue(device)!), parse.GetValue(bf16) ? ScalarType.BFloat16 : ScalarType.Float32);
        });
        return cmd;
    }

    static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    static void Run(DecoderConfig config, string shapeName, int promptTokens, int newTokens, int batch, Device device, ScalarType dtype)
    {
        Log($"building random {shapeName} weights");
        DecoderModel model;
        using (var scope = NewDisposeScope())
            model = new DecoderModel(config, RandomDecoderWeights.Create(config, seed: 1), device, dtype);
        using var _ = model;
        var rng = new Random(7);
        List<IReadOnlyList<int>> Prompts(int n) => Enumerable.Range(0, n)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, promptTokens).Select(_ => rng.Next(config.VocabSize)).ToList()).ToList();
        var gen = new DecoderGenerator(model);
        var options = new SamplingOptions { MaxNewTokens = newTokens };

        Log("warm-up");
        gen.Generate(Prompts(1), options with { MaxNewTokens = 2 });

        (double Seconds, int Tokens) Time(Func<int> work)
        {
            var sw = Stopwatch.StartNew();
            var tokens = work();
            return (sw.Elapsed.TotalSeconds, tokens);
        }
        Log($"baseline: batch 1, no KV cache (recompute the whole sequence per token), {newTokens} tokens");
        var baseline = Time(() => NoCacheGreedy(model, Prompts(1)[0], newTokens));
        Log("batch 1 with KV cache");
        var one = Time(() => gen.Generate(Prompts(1), options).Sum(s => s.Tokens.Count));
        Log($"batch {batch} with KV cache");
        var many = Time(() => gen.Generate(Prompts(batch), options).Sum(s => s.Tokens.Count));

        var rows = new List<string>();
        double Rate((double Seconds, int Tokens) r) => r.Tokens / r.Seconds;
        var baseRate = Rate(baseline);
        rows.Add($"| batch 1, no KV cache (baseline) | {baseline.Tokens} | {baseline.Seconds:F1} | {baseRate:F2} | 1.00 |");
        rows.Add($"| batch 1, KV cache | {one.Tokens} | {one.Seconds:F1} | {Rate(one):F2} | {Rate(one) / baseRate:F2} |");
        rows.Add($"| batch {batch}, KV cache | {many.Tokens} | {many.Seconds:F1} | {Rate(many):F2} | {Rate(many) / baseRate:F2} |");

        Log("KV-cache memory vs prompt length");
        var memory = new List<string>();
        foreach (var len in new[] { 128, 512, 1024, 2048, 4096 })
            foreach (var b in new[] { 1, batch })
            {
                using var cache = new KvCache(config, b, len, dtype, device);
                memory.Add($"| {len} | {b} | {cache.Bytes / 1048576.0:F1} |");
            }

        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("## Embedded decoder");
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"`hn bench decoder --shape {shapeName} --prompt-tokens {promptTokens} --new-tokens {newTokens} --batch {batch} --device {device.type.ToString().ToLowerInvariant()}{(dtype == ScalarType.BFloat16 ? " --bf16" : "")} --threads {torch.get_num_threads()}`, {DateTime.UtcNow:yyyy-MM-dd}, "));
        Console.WriteLine(string.Create(inv, $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {torch.get_num_threads()} LibTorch thread(s), TorchSharp {typeof(torch).Assembly.GetName().Version}, {dtype}. Random weights, "));
        Console.WriteLine(string.Create(inv, $"{shapeName} shape ({model.ParameterCount / 1e6:F0}M parameters: hidden {config.HiddenSize}, {config.NumLayers} layers, {config.NumHeads} heads / {config.NumKvHeads} kv heads, vocab {config.VocabSize}); "));
        Console.WriteLine("greedy decoding of random-token prompts, prefill included in the time. Ratios are tokens/s against the baseline of the same run.");
        Console.WriteLine();
        Console.WriteLine("| run | generated tokens | seconds | tokens/s | vs baseline |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine($"KV cache allocated by `KvCache` (keys and values, all layers, {dtype}):");
        Console.WriteLine();
        Console.WriteLine("| prompt + generated positions | batch | MiB |");
        Console.WriteLine("|---:|---:|---:|");
        memory.ForEach(Console.WriteLine);
    }

    // Greedy decoding that recomputes every position for each new token: what generation costs without a KV cache.
    static int NoCacheGreedy(DecoderModel model, IReadOnlyList<int> prompt, int newTokens)
    {
        var seq = prompt.Select(t => (long)t).ToList();
        for (var i = 0; i < newTokens; i++)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(tensor(seq.ToArray(), [1, seq.Count], device: model.Device), arange(seq.Count, device: model.Device).unsqueeze(0), lastPositionOnly: true);
            seq.Add(logits[0, -1].argmax().item<long>());
        }
        return newTokens;
    }
}
