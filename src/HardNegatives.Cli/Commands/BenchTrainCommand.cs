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
    public static Command Create(string name = "bench-train")
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
