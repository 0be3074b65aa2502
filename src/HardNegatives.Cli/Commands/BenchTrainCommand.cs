using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HardNegatives.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn bench train</c>: training throughput of the bi-encoder trainer at DistilBERT-base shape, as examples/s and as
/// achieved FLOP/s over the float32 matmul rate measured in the same run, next to a plain <c>nn.TransformerEncoder</c>
/// training step of the same shape; then how step time and peak memory grow with batch size and hard negatives.
/// </summary>
static class BenchTrainCommand
{
    public static Command Create(string name)
    {
        var steps = new Option<int>("--steps") { Description = "Timed optimizer steps per configuration (after one untimed warm-up step).", DefaultValueFactory = _ => 3 };
        var length = new Option<int>("--length") { Description = "Tokens per text (every text is cut to exactly this length).", DefaultValueFactory = _ => 128 };
        var batchSizes = new Option<string>("--batch-sizes") { Description = "Batch sizes for the growth table (one hard negative each).", DefaultValueFactory = _ => "8,16,32" };
        var negatives = new Option<string>("--negatives") { Description = "Hard negatives per row for the growth table (batch 16).", DefaultValueFactory = _ => "0,1,3" };
        var layers = new Option<int>("--layers") { Description = "Transformer layers (DistilBERT-base: 6).", DefaultValueFactory = _ => 6 };
        var dim = new Option<int>("--dim") { Description = "Hidden size (DistilBERT-base: 768).", DefaultValueFactory = _ => 768 };
        var command = new Command(name, "Benchmark bi-encoder training throughput (examples/s, FLOP/s vs the fp32 matmul rate).")
        {
            steps, length, batchSizes, negatives, layers, dim,
        };
        command.SetAction(parse =>
        {
            var shape = new BenchShape(parse.GetValue(layers), parse.GetValue(dim), parse.GetValue(length));
            Run(shape, parse.GetValue(steps), ParseList(parse.GetValue(batchSizes)!), ParseList(parse.GetValue(negatives)!));
        });
        return command;
    }

    sealed record BenchShape(int Layers, int Dim, int Length)
    {
        public int Heads => Math.Max(1, Dim / 64);
        public int Hidden => 4 * Dim;
        public double StepFlops(int sequences) => TransformerFlops.TrainingStep(Layers, Dim, Hidden, Length, sequences);
    }

    static int[] ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    static void Run(BenchShape shape, int steps, int[] batchSizes, int[] negativeCounts)
    {
        HardNegatives.Native.TorchRuntime.EnsureLoadable();
        Console.WriteLine($"machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, torch threads {get_num_threads()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"shape: {shape.Layers} layers, dim {shape.Dim}, heads {shape.Heads}, ffn {shape.Hidden}, length {shape.Length}");
        double matmul = MatmulRate();
        Console.WriteLine($"fp32 matmul rate (2048x2048x2048): {matmul / 1e9:F1} GFLOP/s");

        var (baseSeconds, baseRss) = TransformerEncoderStep(shape, sequences: 16 * 3, steps);
        double baseFlops = shape.StepFlops(48) / baseSeconds;
        Console.WriteLine();
        Console.WriteLine("| step | sequences × tokens | s/step | examples/s | GFLOP/s | of matmul rate | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine($"| nn.TransformerEncoder (baseline) | 48 × {shape.Length} | {baseSeconds:F2} | {16 / baseSeconds:F2} | {baseFlops / 1e9:F1} | {baseFlops / matmul:F2} | {baseRss / 1e9:F2} GB |");
        var target = TrainerStep(shape, batch: 16, negatives: 1, steps);
        Console.WriteLine($"| hn trainer, DistilBERT bi-encoder, MNRL, batch 16, 1 hard negative | 48 × {shape.Length} | {target.Seconds:F2} | {16 / target.Seconds:F2} | {target.Flops / target.Seconds / 1e9:F1} | {target.Flops / target.Seconds / matmul:F2} | {target.PeakRss / 1e9:F2} GB |");

        Console.WriteLine();
        Console.WriteLine("| batch | hard negatives | sequences | s/step | examples/s | of matmul rate | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var configs = batchSizes.Select(b => (b, 1)).Concat(negativeCounts.Select(k => (16, k))).Distinct();
        foreach (var (batch, k) in configs)
        {
            var r = batch == 16 && k == 1 ? target : TrainerStep(shape, batch, k, steps);
            Console.WriteLine($"| {batch} | {k} | {batch * (2 + k)} | {r.Seconds:F2} | {batch / r.Seconds:F2} | {r.Flops / r.Seconds / matmul:F2} | {r.PeakRss / 1e9:F2} GB |");
        }
        // Measured again at the end: when the two rates differ much, other load changed during the run and ratios are rough.
        Console.WriteLine();
        Console.WriteLine($"fp32 matmul rate at the end: {MatmulRate() / 1e9:F1} GFLOP/s (start {matmul / 1e9:F1})");
    }

    sealed record StepMeasurement(double Seconds, double Flops, long PeakRss);

    /// <summary>
    /// The kit's trainer on a random-weight DistilBERT of <paramref name="shape"/>: synthetic rows of random vocabulary words,
    /// each text long enough to fill <see cref="BenchShape.Length"/> tokens, all distinct (so the no-duplicates sampler keeps
    /// full batches). The first step is a warm-up; the median of the rest is reported.
    /// </summary>
    static StepMeasurement TrainerStep(BenchShape shape, int batch, int negatives, int steps)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hn-bench-train-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tokenizer = new HardNegatives.Tokenization.BertTokenizer(HardNegatives.Data.KitPaths.BertBaseUncasedVocab);
            var words = Enumerable.Range(1000, tokenizer.Vocabulary.Count - 1000).Select(tokenizer.Vocabulary.TokenOf).Where(w => w.All(char.IsAsciiLetterLower)).ToArray();
            var rng = new SplitMix64(7);
            string Text() => string.Join(' ', Enumerable.Range(0, shape.Length).Select(_ => words[rng.NextInt(words.Length)]));
            var rows = Enumerable.Range(0, batch * (steps + 1)).Select(i => new HardNegatives.Negatives.Triple($"q{i}", Text(), $"p{i}", Text(),
                Enumerable.Range(0, negatives).Select(n => new HardNegatives.Negatives.Negative($"n{i}-{n}", Text())).ToList(), "synthetic")).ToList();
            var preset = $"distilbert-base-shape:layers={shape.Layers},dim={shape.Dim},heads={shape.Heads},hidden={shape.Hidden}";
            using var model = BiEncoderModels.CreateOrLoad(preset, shape.Length, CPU, seed: 0);
            var seconds = new List<double>();
            ResetPeakRss();
            ContrastiveTrainer.Train(model, rows, new TrainingOptions(BatchSize: batch, HardNegatives: negatives, CheckpointEvery: 0, LearningRate: 1e-5), dir,
                new StepTimes(p => { if (p.Step > 1) seconds.Add(p.StepSeconds); }));
            return new StepMeasurement(Median(seconds), shape.StepFlops(batch * (2 + negatives)), PeakRss());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    sealed class StepTimes(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>Median of timed 2048³ float32 matrix multiplies, in FLOP/s.</summary>
    internal static double MatmulRate(int n = 2048, int repeats = 8)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        for (int i = 0; i < 2; i++) a.matmul(b).Dispose();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var t = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            times.Add(t.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / Median(times);
    }

    /// <summary>The baseline: a plain TransformerEncoder of the same shape, forward + mean loss + backward + AdamW.</summary>
    static (double Seconds, long PeakRss) TransformerEncoderStep(BenchShape shape, int sequences, int steps)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(shape.Dim, shape.Heads, shape.Hidden, 0.1, nn.Activations.GELU), shape.Layers);
        using var optimizer = optim.AdamW(encoder.parameters(), 1e-4, 0.9, 0.999, 1e-8, 0.01, false, false);
        var input = randn(shape.Length, sequences, shape.Dim);
        ResetPeakRss();
        var times = new List<double>();
        for (int i = 0; i <= steps; i++)
        {
            var t = Stopwatch.StartNew();
            using (var inner = NewDisposeScope())
            {
                encoder.forward(input, null, null).mean().backward();
                optimizer.step();
                optimizer.zero_grad();
            }
            if (i > 0) times.Add(t.Elapsed.TotalSeconds);
        }
        encoder.Dispose();
        return (Median(times), PeakRss());
    }

    internal static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>Resets the kernel's resident-set high-water mark of this process (Linux <c>clear_refs</c> 5).</summary>
    internal static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Peak resident set since the last reset, in bytes (VmHWM).</summary>
    internal static long PeakRss()
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:")) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    static string CpuModel() =>
        File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU" : "unknown CPU";
}
