using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using TorchSharp;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn bench llamacpp</c>: tokens/s of the kit's TorchSharp decoder against llama.cpp (LLamaSharp) on the same random
/// float32 weights (exported to GGUF F32), batch 1 and batch N, the same thread count, greedy, in one run.
/// Prints a Markdown section for BENCHMARKS.md.
/// </summary>
static class BenchLlamaCppCommand
{
    public static Command Create(string name)
    {
        var shape = new Option<string>("--shape") { Description = "qwen2.5-0.5b (default) or tiny (a quick smoke run).", DefaultValueFactory = _ => "qwen2.5-0.5b" };
        var prompt = new Option<int>("--prompt-tokens") { Description = "Prompt length per sequence.", DefaultValueFactory = _ => 32 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens generated per sequence.", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch") { Description = "The larger batch size.", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "Threads for both engines (LibTorch and llama.cpp).", DefaultValueFactory = _ => 1 };
        var cmd = new Command(name, "TorchSharp decoder vs llama.cpp tokens/s on the same F32 weights (batch 1 and N, same threads).")
            { shape, prompt, newTokens, batch, threads };
        cmd.SetAction(parse =>
        {
            var config = parse.GetValue(shape) switch
            {
                "qwen2.5-0.5b" => DecoderShapes.Qwen25HalfB,
                "tiny" => DecoderShapes.Tiny,
                var s => throw new ArgumentException($"--shape {s}: use qwen2.5-0.5b or tiny"),
            };
            Run(config, parse.GetValue(shape)!, parse.GetValue(prompt), parse.GetValue(newTokens), parse.GetValue(batch), parse.GetValue(threads));
        });
        return cmd;
    }

    static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    static void Run(DecoderConfig config, string shapeName, int promptTokens, int newTokens, int batch, int threads)
    {
        torch.set_num_threads(threads);
        var gguf = Path.Combine(Path.GetTempPath(), $"hn-bench-{Guid.NewGuid():N}.gguf");
        try
        {
            Log($"building random {shapeName} weights and writing {gguf}");
            var weights = RandomDecoderWeights.Create(config, seed: 1);
            using var ours = new DecoderModel(config, weights);
            GgufCheckpoint.Save(config, weights, null, gguf);
            foreach (var t in weights.Values) t.Dispose();
            var context = batch * (promptTokens + newTokens) + 16;
            using var theirs = LlamaCppModel.Load(gguf, new LlamaCppOptions(ContextSize: context, Threads: threads, Sequences: batch));

            var rng = new Random(7);
            List<IReadOnlyList<int>> Prompts(int n) => [.. Enumerable.Range(0, n).Select(_ => (IReadOnlyList<int>)[.. Enumerable.Range(0, promptTokens).Select(_ => 3 + rng.Next(config.VocabSize - 3))])];
            var options = new SamplingOptions { MaxNewTokens = newTokens };
            (double Seconds, int Tokens) Time(Func<int> work)
            {
                var sw = Stopwatch.StartNew();
                var n = work();
                return (sw.Elapsed.TotalSeconds, n);
            }
            Log("warm-up");
            new DecoderGenerator(ours).Generate(Prompts(1), options with { MaxNewTokens = 2 });
            new LlamaCppGenerator(theirs).Generate(Prompts(1), options with { MaxNewTokens = 2 });
            var rows = new List<string>();
            foreach (var b in new[] { 1, batch })
            {
                var prompts = Prompts(b);
                Log($"batch {b}: TorchSharp");
                var t = Time(() => new DecoderGenerator(ours).Generate(prompts, options).Sum(s => s.Tokens.Count));
                Log($"batch {b}: llama.cpp");
                var l = Time(() => new LlamaCppGenerator(theirs).Generate(prompts, options).Sum(s => s.Tokens.Count));
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {b} | {t.Tokens} | {t.Tokens / t.Seconds:F2} | {l.Tokens / l.Seconds:F2} | {t.Tokens / t.Seconds / (l.Tokens / l.Seconds):F2} |"));
            }
            var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;
            Console.WriteLine("## TorchSharp decoder vs llama.cpp");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"`hn bench llamacpp --shape {shapeName} --prompt-tokens {promptTokens} --new-tokens {newTokens} --batch {batch} --threads {threads}`, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}); "));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"random float32 weights of the {shapeName} shape ({ours.ParameterCount / 1e6:F0}M parameters), the same tensors in both engines (GGUF F32 for llama.cpp: LLamaSharp 0.30.0, CPU backend, f32 KV cache, flash attention off); greedy, prefill included, {threads} thread(s) each."));
            Console.WriteLine();
            Console.WriteLine("| batch | generated tokens | TorchSharp tokens/s | llama.cpp tokens/s | TorchSharp / llama.cpp |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            rows.ForEach(Console.WriteLine);
        }
        finally { File.Delete(gguf); }
    }
}
