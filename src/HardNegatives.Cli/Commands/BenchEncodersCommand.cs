using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using HardNegatives.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn bench encoders</c>: DistilBERT-base-shape inference throughput (sequences/s) at several lengths, and the achieved
/// FLOP/s as a fraction of this machine's float32 matrix-multiply rate measured in the same run through TorchSharp;
/// <c>torch.nn.TransformerEncoder</c> of the same shape is the baseline. Prints a Markdown section for BENCHMARKS.md.
/// </summary>
static class BenchEncodersCommand
{
    public static Command Create(string name)
    {
        var lengths = new Option<string>("--lengths") { Description = "Sequence lengths, comma separated.", DefaultValueFactory = _ => "128,256" };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per forward pass.", DefaultValueFactory = _ => 32 };
        var repeats = new Option<int>("--repeats") { Description = "Timed forward passes per measurement (median reported).", DefaultValueFactory = _ => 3 };
        var layers = new Option<int>("--layers") { Description = "Transformer layers (DistilBERT-base: 6).", DefaultValueFactory = _ => 6 };
        var baseline = new Option<bool>("--baseline") { Description = "Also time torch.nn.TransformerEncoder of the same shape.", DefaultValueFactory = _ => true };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16.", DefaultValueFactory = _ => "float32" };
        var output = new Option<string?>("--output") { Description = "Also write the Markdown section to this file." };
        var command = new Command(name, "Benchmark DistilBERT-shape inference against this machine's float32 matmul rate.") { lengths, batch, repeats, layers, baseline, dtype, output };
        command.SetAction(parse =>
        {
            var ts = parse.GetValue(lengths)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            int b = parse.GetValue(batch), reps = parse.GetValue(repeats);
            var type = TorchDevices.ParseDType(parse.GetValue(dtype)!);
            var config = new DistilBertConfig(NLayers: parse.GetValue(layers));
            string loadBefore = LoadAverage();
            using var noGrad = no_grad();
            double matmulRate = MatmulRate(reps);
            Console.Error.WriteLine($"fp32 matmul: {matmulRate / 1e9:F1} GFLOP/s");

            using var model = new DistilBertModel(config, seed: 1);
            model.eval();
            if (type != ScalarType.Float32) model.to(type);
            nn.Module<Tensor, Tensor>? reference = null;
            if (parse.GetValue(baseline))
            {
                var layer = nn.TransformerEncoderLayer(config.Dim, config.NHeads, config.HiddenDim, 0.1, nn.Activations.GELU);
                reference = new TransformerEncoderStack(nn.TransformerEncoder(layer, config.NLayers));
                reference.eval();
                if (type != ScalarType.Float32) reference.to(type);
            }
            var rows = new List<(int T, double Ours, double? Baseline, double Flops, double Matmul)>();
            long tensorsBefore = 0, tensorsAfter = 0;
            foreach (int t in ts)
            {
                using var scope = NewDisposeScope();
                var ids = randint(1000, config.VocabSize, [b, t], ScalarType.Int64, generator: new Generator(7));
                var mask = ones(b, t, ScalarType.Int64);
                double flops = ForwardFlops(config, b, t);
                // The yardstick is re-measured next to each row, so load from other processes hits both alike.
                double rowMatmul = MatmulRate(reps);
                model.forward(ids, mask).Dispose(); // warm-up
                tensorsBefore = Tensor.TotalCount;
                double ours = Median(reps, () => model.forward(ids, mask).Dispose());
                tensorsAfter = Tensor.TotalCount;
                double? theirs = null;
                if (reference is not null)
                {
                    var x = randn(t, b, config.Dim).to(type); // nn.TransformerEncoder takes [T, B, H]
                    reference.forward(x).Dispose();
                    theirs = Median(reps, () => reference.forward(x).Dispose());
                }
                rows.Add((t, ours, theirs, flops, rowMatmul));
                Console.Error.WriteLine($"T={t}: matmul {rowMatmul / 1e9:F1} GFLOP/s; {b / ours:F2} seq/s ({flops / ours / 1e9:F1} GFLOP/s){(theirs is { } th ? $"; TransformerEncoder {b / th:F2} seq/s" : "")}");
            }
            var md = Markdown(rows, b, reps, matmulRate, config, type, loadBefore, LoadAverage(), tensorsAfter - tensorsBefore);
            Console.WriteLine(md);
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, md);
        });
        return command;
    }

    /// <summary>Matmul FLOPs of one forward: per layer Q, K, V, out projections 4·2TH², attention scores and context 2·2T²H, FFN 2·2THF.</summary>
    internal static double ForwardFlops(DistilBertConfig c, int batch, int length)
    {
        double t = length, h = c.Dim, f = c.HiddenDim;
        return batch * c.NLayers * (8 * t * h * h + 4 * t * t * h + 4 * t * h * f);
    }

    static double MatmulRate(int reps)
    {
        using var scope = NewDisposeScope();
        const int n = 2048;
        var a = randn(n, n);
        var m = randn(n, n);
        a.mm(m).Dispose();
        double seconds = Median(Math.Max(reps, 5), () => a.mm(m).Dispose());
        return 2.0 * n * n * n / seconds;
    }

    static double Median(int reps, Action work)
    {
        var times = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            work();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static string CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
        : "unknown";

    static string Markdown(List<(int T, double Ours, double? Baseline, double Flops, double Matmul)> rows, int batch, int reps, double matmulRate,
        DistilBertConfig c, ScalarType type, string loadBefore, string loadAfter, long tensorDelta)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("## Encoders");
        sb.AppendLine();
        sb.AppendLine(inv, $"DistilBERT-base shape ({c.NLayers} layers, {c.Dim} hidden, {c.NHeads} heads, FFN {c.HiddenDim}), random weights, eval mode, no gradients, {type}, batch {batch}, every token real; median of {reps} forward passes after a warm-up.");
        sb.AppendLine(inv, $"Achieved FLOP/s counts the matmuls only (projections, attention, FFN); the yardstick is a 2048×2048 float32 matmul through TorchSharp in the same run, measured at the start (**{matmulRate / 1e9:F1} GFLOP/s**) and again right before each row (its column).");
        sb.AppendLine();
        sb.AppendLine("| length | fp32 matmul GFLOP/s | this kit: seq/s | GFLOP/s | of matmul rate | nn.TransformerEncoder: seq/s | of matmul rate |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            double ours = r.Flops / r.Ours;
            string baseline = r.Baseline is { } bl ? $"{batch / bl:F2} | {r.Flops / bl / r.Matmul:F2}" : "– | –";
            sb.AppendLine(inv, $"| {r.T} | {r.Matmul / 1e9:F1} | {batch / r.Ours:F2} | {ours / 1e9:F1} | {ours / r.Matmul:F2} | {baseline} |");
        }
        sb.AppendLine();
        sb.AppendLine(inv, $"Live tensors before and after the timed passes differ by {tensorDelta} (no leak per batch; also a unit test).");
        sb.AppendLine();
        sb.AppendLine(inv, $"Machine: {CpuModel()}, {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, TorchSharp {typeof(torch).Assembly.GetName().Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {loadBefore} before, {loadAfter} after (other work on the machine lowers these numbers).");
        sb.AppendLine("Rerun: `hn bench encoders` (options: `--lengths`, `--batch-size`, `--repeats`, `--dtype bfloat16`, `--output FILE`).");
        return sb.ToString();
    }

    /// <summary>Adapts nn.TransformerEncoder (which takes a mask argument) to a one-input module.</summary>
    sealed class TransformerEncoderStack : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.TransformerEncoder encoder;

        public TransformerEncoderStack(TorchSharp.Modules.TransformerEncoder inner) : base("baseline")
        {
            encoder = inner;
            register_module("encoder", encoder);
        }

        public override Tensor forward(Tensor x) => encoder.call(x);
    }
}
