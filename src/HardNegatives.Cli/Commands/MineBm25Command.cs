using System.CommandLine;
using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Negatives;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn mine bm25</c>: BM25 hard negatives for a training split, in the shared triples format.</summary>
static class MineBm25Command
{
    public static Command Create()
    {
        var dataset = Bm25CliOptions.Dataset();
        var split = new Option<string>("--split") { Description = "Qrels split with the training queries and their positives.", DefaultValueFactory = _ => "train" };
        var numNegatives = new Option<int>("--num-negatives") { Description = "Negatives per query.", DefaultValueFactory = _ => 3 };
        var range = new Option<string?>("--range") { Description = "Rank window MIN:MAX (0-based, MAX exclusive) among the candidates left after positives and filters; default sentence-transformers' rule." };
        var sampling = new Option<NegativeSampling>("--sampling") { Description = "top: best of the window; random: seeded sample of it.", DefaultValueFactory = _ => NegativeSampling.Top };
        var seed = new Option<int>("--seed") { Description = "Seed for --sampling random.", DefaultValueFactory = _ => 42 };
        var maxScore = new Option<double?>("--max-score") { Description = "Skip candidates scoring above this." };
        var minScore = new Option<double?>("--min-score") { Description = "Skip candidates scoring below this." };
        var absoluteMargin = new Option<double?>("--absolute-margin") { Description = "Skip candidates with score + margin > the query's lowest positive score." };
        var relativeMargin = new Option<double?>("--relative-margin") { Description = "Skip candidates with score > p - |p|*margin (p: lowest positive score)." };
        var output = new Option<string>("--output") { Description = "Triples file: .jsonl, or .parquet.", Required = true };
        var stOutput = new Option<string?>("--st-output") { Description = "Also write sentence-transformers columns (anchor, positive, negative_1..n) to this .jsonl or .parquet; rows with fewer negatives are left out." };
        var k1 = Bm25CliOptions.K1();
        var b = Bm25CliOptions.B();
        var fields = Bm25CliOptions.Fields();
        var threads = Bm25CliOptions.Threads();
        var command = new Command("bm25", "Mine BM25 hard negatives: positives never returned, window, top or seeded random sampling, score filters.")
            { dataset, split, numNegatives, range, sampling, seed, maxScore, minScore, absoluteMargin, relativeMargin, output, stOutput, k1, b, fields, threads };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (rangeMin, rangeMax) = ParseRange(parse.GetValue(range));
            var options = new HardNegativeMiningOptions(parse.GetValue(numNegatives), rangeMin, rangeMax, parse.GetValue(sampling), parse.GetValue(seed),
                parse.GetValue(maxScore), parse.GetValue(minScore), parse.GetValue(absoluteMargin), parse.GetValue(relativeMargin));
            options.Validate();
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            var path = parse.GetValue(output)!;
            var summary = await Bm25CliOptions.WithProgressAsync($"mine bm25 {ds.Name}", async progress =>
            {
                using var index = await Bm25Index.OpenOrBuildAsync(ds, new Bm25IndexOptions(parse.GetValue(fields), parse.GetValue(threads)), progress, cancellationToken: cancellationToken);
                var miner = new Bm25NegativeMiner(index, options, new Bm25SearchOptions(parse.GetValue(k1), parse.GetValue(b), Threads: parse.GetValue(threads)));
                return await miner.MineToFileAsync(ds, parse.GetValue(split)!, path, progress, cancellationToken);
            });
            Console.Write(summary.Format());
            Console.WriteLine($"→ {path}");
            if (parse.GetValue(stOutput) is { } st)
            {
                var triples = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
                    ? TriplesParquet.ReadAsync(path, cancellationToken).ToBlockingEnumerable(cancellationToken)
                    : TriplesFile.Read(path);
                var result = await SentenceTransformersExport.WriteAsync(st, triples, options.NumNegatives, cancellationToken);
                Console.WriteLine($"→ {st} (sentence-transformers: {result.Rows:N0} rows with {result.Negatives} negatives; {result.Dropped:N0} rows with fewer left out)");
            }
        });
        return command;
    }

    static (int Min, int? Max) ParseRange(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (0, null);
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && (parts[1].Length == 0 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return (min, parts[1].Length == 0 ? null : int.Parse(parts[1], CultureInfo.InvariantCulture));
        throw new ArgumentException($"--range must be MIN:MAX (e.g. 10:100) or MIN: for the default end, got '{text}'");
    }
}
