using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using HardNegatives.Data;
using HardNegatives.Retrieval;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn bench eval</c>: exact dense search throughput as a fraction of this machine's float32 matrix-multiply rate
/// for the same shapes (both through TorchSharp, measured in the same run), and how search time grows with corpus size.
/// Prints a Markdown section for BENCHMARKS.md. Registered under the <c>bench</c> group (<see cref="BenchCommand"/>).
/// </summary>
static class BenchEvalCommand
{
    public static Command Create(string name = "eval")
    {
        var queries = new Option<int>("--queries") { Description = "Number of queries.", DefaultValueFactory = _ => 1000 };
        var documents = new Option<int>("--documents") { Description = "Largest corpus size (the target shape).", DefaultValueFactory = _ => 100_000 };
        var dim = new Option<int>("--dim") { Description = "Embedding dimension.", DefaultValueFactory = _ => 768 };
        var topK = new Option<int>("--top-k") { Description = "Results per query.", DefaultValueFactory = _ => 100 };
        var growth = new Option<string>("--growth") { Description = "Corpus sizes for the growth table, comma separated (the largest is --documents).", DefaultValueFactory = _ => "12500,25000,50000" };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions per measurement (median reported).", DefaultValueFactory = _ => 3 };
        var queryChunk = new Option<int>("--query-chunk") { Description = "Queries per chunk.", DefaultValueFactory = _ => new ExactDenseSearchOptions().QueryChunkSize };
        var docChunk = new Option<int>("--doc-chunk") { Description = "Documents per chunk.", DefaultValueFactory = _ => new ExactDenseSearchOptions().DocumentChunkSize };
        var output = new Option<string?>("--output") { Description = "Also write the Markdown section to this file." };
        var command = new Command(name, "Benchmark exact dense search against this machine's float32 matmul rate for the same shapes.")
        {
            queries, documents, dim, topK, growth, repeats, queryChunk, docChunk, output,
        };
        command.SetAction(parse =>
        {
            int nq = parse.GetValue(queries), nd = parse.GetValue(documents), d = parse.GetValue(dim), reps = parse.GetValue(repeats);
            var sizes = parse.GetValue(growth)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Where(s => s > 0 && s < nd).Append(nd).Distinct().Order().ToArray();
            var options = new ExactDenseSearchOptions
            {
                TopK = parse.GetValue(topK), QueryChunkSize = parse.GetValue(queryChunk), DocumentChunkSize = parse.GetValue(docChunk),
                ExcludeSelfMatches = true,
            };
            string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
            Console.Error.WriteLine($"bench eval: {nq} queries × {nd} documents × {d} dims, top-{options.TopK}, dot and cosine; repeats {reps}");

            using var scope = NewDisposeScope();
            manual_seed(20260501);
            var q = randn(nq, d);
            var docs = randn(nd, d);
            var qids = Enumerable.Range(0, nq).Select(i => $"q{i}").ToArray();
            var dids = Enumerable.Range(0, nd).Select(i => $"d{i}").ToArray();
            // Warm-up: first calls load MKL kernels and allocate thread pools.
            using (NewDisposeScope()) { q.mm(docs.narrow(0, 0, Math.Min(nd, 4096)).t()); }
            ExactDenseSearch.Search(q, qids, docs.narrow(0, 0, Math.Min(nd, 4096)), dids[..Math.Min(nd, 4096)], options);

            var rows = new List<(int N, double Matmul, double Dot, double Cosine)>();
            var dot = options with { Similarity = DenseSimilarity.Dot };
            var cosine = options with { Similarity = DenseSimilarity.Cosine };
            foreach (int n in sizes)
            {
                var slice = docs.narrow(0, 0, n);
                double matmul = Median(reps, () => { using var s = NewDisposeScope(); q.mm(slice.t()); });
                var ids = dids[..n];
                double searchDot = Median(reps, () => ExactDenseSearch.Search(q, qids, slice, ids, dot));
                double searchCosine = Median(reps, () => ExactDenseSearch.Search(q, qids, slice, ids, cosine));
                rows.Add((n, matmul, searchDot, searchCosine));
                Console.Error.WriteLine($"  {n,7} docs: matmul {matmul:F3} s, dot search {searchDot:F3} s (ratio {matmul / searchDot:F2}), cosine search {searchCosine:F3} s (ratio {matmul / searchCosine:F2})");
            }
            string loadAfter = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
            var md = Markdown(nq, d, options, reps, rows, load, loadAfter);
            Console.Out.Write(md);
            if (parse.GetValue(output) is { } path) AtomicFile.WriteAllText(path, md);
            return 0;
        });
        return command;
    }

    static double Median(int repeats, Action action)
    {
        var times = new double[Math.Max(1, repeats)];
        for (int i = 0; i < times.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    static string Markdown(int nq, int d, ExactDenseSearchOptions o, int repeats, List<(int N, double Matmul, double Dot, double Cosine)> rows, string loadBefore, string loadAfter)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("## Exact dense search");
        sb.AppendLine();
        sb.AppendLine(inv, $"`hn bench eval` (rerun: `flock /tmp/hn-heavy.lock dotnet run --project src/HardNegatives.Cli -c Release -- bench eval`), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        sb.AppendLine(string.Create(inv, $"Machine: {cpu}, {Environment.ProcessorCount} cores, LibTorch intra-op threads {torch.get_num_threads()}, TorchSharp CPU float32. Load average before/after: `{loadBefore}` / `{loadAfter}`") +
            " (other helpers share these 2 cores, so absolute times may be inflated; both columns of a row ran back to back under the same load).");
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"Shapes: {nq} queries × N documents × {d} dims, random normal vectors, top-{o.TopK}, self-match exclusion on, ") +
            string.Create(inv, $"chunks of {o.QueryChunkSize} queries × {o.DocumentChunkSize} documents (peak score memory {(long)Math.Min(o.QueryChunkSize, nq) * o.DocumentChunkSize * 4 / (1 << 20)} MiB). Median of {repeats} runs."));
        sb.AppendLine("Baseline: one TorchSharp `mm` of the same [queries × dim] · [dim × N] shapes, which materialises the full score matrix the search avoids. " +
            "Ratio = matmul time / search time = search throughput as a fraction of the machine's measured matmul rate (target ≥ 0.6 at 100k documents).");
        sb.AppendLine();
        sb.AppendLine("Dot search does exactly the matmul's arithmetic plus the running top-k; cosine search also L2-normalizes every document chunk (a memory-bound pass).");
        sb.AppendLine();
        sb.AppendLine("| documents N | matmul (s) | matmul GFLOP/s | dot search (s) | dot ratio | cosine search (s) | cosine ratio | dot µs per query per 1k docs |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (n, mm, dot, cos) in rows)
        {
            double flops = 2.0 * nq * n * d;
            sb.AppendLine(inv, $"| {n:N0} | {mm:F3} | {flops / mm / 1e9:F1} | {dot:F3} | {mm / dot:F2} | {cos:F3} | {mm / cos:F2} | {dot / nq / (n / 1000.0) * 1e6:F2} |");
        }
        if (rows.Count > 1)
        {
            var first = rows[0];
            var last = rows[^1];
            double Exponent(double a, double b) => Math.Log(b / a) / Math.Log((double)last.N / first.N);
            sb.AppendLine();
            sb.AppendLine(inv, $"Growth from {first.N:N0} to {last.N:N0} documents: search time ∝ N^{Exponent(first.Dot, last.Dot):F2} (dot), N^{Exponent(first.Cosine, last.Cosine):F2} (cosine), matmul ∝ N^{Exponent(first.Matmul, last.Matmul):F2} (1.00 = linear).");
        }
        return sb.ToString();
    }
}
