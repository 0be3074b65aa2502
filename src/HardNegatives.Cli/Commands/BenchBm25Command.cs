using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn bench bm25</c>: BM25 index and search throughput on SciFact and on seeded
/// synthetic Zipf corpora of growing size, with peak memory. Baselines measured in the same run: one indexing / search
/// thread vs all cores, and each corpus against the smallest.
/// </summary>
static class BenchBm25Command
{
    public static Command Create(string name = "bench-bm25")
    {
        var sizes = new Option<string>("--sizes") { Description = "Synthetic corpus sizes, comma separated.", DefaultValueFactory = _ => "100000,1000000" };
        var queries = new Option<int>("--queries") { Description = "Synthetic queries searched per corpus.", DefaultValueFactory = _ => 200 };
        var topK = new Option<int>("--top-k") { Description = "Hits per query.", DefaultValueFactory = _ => 1000 };
        var singleThreadUpTo = new Option<int>("--single-thread-up-to") { Description = "Also index with one thread (the baseline) for corpora up to this size.", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic corpora.", DefaultValueFactory = _ => 1 };
        var command = new Command(name, "Benchmark BM25 indexing (docs/s) and top-k search (queries/s) on SciFact and synthetic corpora; prints a Markdown table.")
            { sizes, queries, topK, singleThreadUpTo, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = Path.Combine(Path.GetTempPath(), "hn-bench-bm25-" + Guid.NewGuid().ToString("N"));
            var rows = new List<string>();
            int k = parse.GetValue(topK), cores = Environment.ProcessorCount;
            try
            {
                var scifact = DatasetLocator.Open("scifact");
                var scifactQueries = scifact.LoadQueries().Values.ToList();
                var cases = new List<(string Name, long Docs, Func<IEnumerable<Document>> Corpus, IReadOnlyList<Query> Queries)>
                {
                    ("scifact", 5183, scifact.StreamCorpus, scifactQueries),
                };
                var synthetic = new SyntheticCorpus(seed: parse.GetValue(seed));
                foreach (var size in parse.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
                    cases.Add(($"synthetic-{size / 1000}k", size, () => synthetic.Documents(size), synthetic.Queries(parse.GetValue(queries)).ToList()));

                Console.WriteLine($"# machine: {cores} cores, {CpuModel()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}, Lucene.Net 4.8.0-beta00017");
                Console.WriteLine($"# synthetic: Zipf(s={synthetic.Exponent}) over {synthetic.Vocabulary:N0} words, title 5 words, body {synthetic.MinLength}-{synthetic.MaxLength} words, seed {synthetic.Seed}; queries 3-10 words");
                rows.Add($"| corpus | docs | index 1 thread (docs/s) | index {cores} threads (docs/s) | speed-up | index size (MB) | search 1 thread (q/s) | search {cores} threads (q/s) | speed-up | q/s vs SciFact | peak working set (MB) |");
                rows.Add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                // Warm-up (JIT, analyzer) so the first measured build is not charged for it.
                await IndexRateAsync(scifact.StreamCorpus().Take(2000), Path.Combine(root, "warm-up"), cores, 2000, cancellationToken);
                double? baseQps = null;
                foreach (var c in cases)
                {
                    double? single = null;
                    if (c.Docs <= parse.GetValue(singleThreadUpTo))
                        single = await IndexRateAsync(c.Corpus(), Path.Combine(root, c.Name + "-1"), 1, c.Docs, cancellationToken);
                    var path = Path.Combine(root, c.Name);
                    double multi = await IndexRateAsync(c.Corpus(), path, cores, c.Docs, cancellationToken);
                    double sizeMb = Directory.GetFiles(path).Sum(f => new FileInfo(f).Length) / 1e6;
                    using var index = Bm25Index.Open(path);
                    double qps1 = SearchRate(index, c.Queries, k, 1);
                    double qpsN = SearchRate(index, c.Queries, k, cores);
                    baseQps ??= qpsN;
                    double peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
                    var row = string.Create(CultureInfo.InvariantCulture,
                        $"| {c.Name} | {c.Docs:N0} | {(single is { } s ? s.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {multi:N0} | {(single is { } s2 ? $"{multi / s2:F2}×" : "–")} | {sizeMb:N0} | {qps1:N1} | {qpsN:N1} | {qpsN / qps1:F2}× | {qpsN / baseQps:F3}× | {peak:N0} |");
                    rows.Add(row);
                    Console.Error.WriteLine(row);
                    if (Directory.Exists(path + "-1")) Directory.Delete(path + "-1", recursive: true);
                }
                rows.Add("");
                rows.Add("| mining (SciFact train queries, repeated with new ids) | queries | rows | max live managed heap after a batch (MB) | queries/s |");
                rows.Add("|---|---:|---:|---:|---:|");
                using (var index = await Bm25Index.OpenOrBuildAsync(scifact, indexRoot: Path.Combine(root, "cache"), cancellationToken: cancellationToken))
                    foreach (var n in new[] { 1_000, 10_000 })
                        rows.Add(await MiningMemoryAsync(index, scifact, n, Path.Combine(root, $"mined-{n}.jsonl"), cancellationToken));
            }
            finally
            {
                if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            }
            foreach (var r in rows) Console.WriteLine(r);
        });
        return command;
    }

    static async Task<double> IndexRateAsync(IEnumerable<Document> corpus, string path, int threads, long docs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var info = await Bm25Index.BuildAsync(corpus, path, new Bm25IndexOptions(Threads: threads), cancellationToken: cancellationToken);
        if (info.Documents != docs) throw new InvalidOperationException($"indexed {info.Documents} documents, expected {docs}");
        return docs / clock.Elapsed.TotalSeconds;
    }

    static double SearchRate(Bm25Index index, IReadOnlyList<Query> queries, int topK, int threads)
    {
        using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(TopK: topK, Threads: threads));
        foreach (var _ in searcher.SearchAll(queries.Take(20))) { } // warm-up: JIT, field cache, id table
        var clock = Stopwatch.StartNew();
        foreach (var _ in searcher.SearchAll(queries)) { }
        return queries.Count / clock.Elapsed.TotalSeconds;
    }

    // Mining streams: the live heap after each batch should not grow with the number of queries.
    static async Task<string> MiningMemoryAsync(Bm25Index index, BeirDataset dataset, int count, string path, CancellationToken cancellationToken)
    {
        var real = Mining.Bm25NegativeMiner.TrainingQueries(dataset, "train");
        var queries = Enumerable.Range(0, count).Select(i => real[i % real.Count] with { QueryId = $"{real[i % real.Count].QueryId}#{i}" });
        var miner = new Mining.Bm25NegativeMiner(index, new Mining.HardNegativeMiningOptions(NumNegatives: 5, RangeMin: 10, RangeMax: 100));
        var summary = new Mining.MiningSummary(miner.Options, "bm25");
        long maxHeap = 0;
        var probe = new HeapProbe(() => maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: true)));
        var clock = Stopwatch.StartNew();
        await Negatives.TriplesFile.WriteAsync(path, miner.Mine(queries, real.Max(q => q.ExcludedIds.Count), summary, probe, count, cancellationToken), cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"| bm25, 5 negatives, range 10:100 | {count:N0} | {summary.Rows:N0} | {maxHeap / 1e6:N1} | {count / clock.Elapsed.TotalSeconds:N0} |");
    }

    sealed class HeapProbe(Action onReport) : IProgress<Bm25Progress>
    {
        public void Report(Bm25Progress value) => onReport();
    }

    static string CpuModel() =>
        File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU" : "unknown CPU";
}
