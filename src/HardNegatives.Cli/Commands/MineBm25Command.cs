using System.CommandLine;
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
        var mining = new MiningCliOptions();
        var stOutput = new Option<string?>("--st-output") { Description = "Also write sentence-transformers columns (anchor, positive, negative_1..n) to this .jsonl or .parquet; rows with fewer negatives are left out." };
        var k1 = Bm25CliOptions.K1();
        var b = Bm25CliOptions.B();
        var fields = Bm25CliOptions.Fields();
        var threads = Bm25CliOptions.Threads();
        var command = new Command("bm25", "Mine BM25 hard negatives: positives never returned, window, top or seeded random sampling, score filters.")
            { dataset, stOutput, k1, b, fields, threads };
        foreach (var option in mining.All) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = mining.Parse(parse);
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            var path = parse.GetValue(mining.Output)!;
            var summary = await Bm25CliOptions.WithProgressAsync($"mine bm25 {ds.Name}", async progress =>
            {
                using var index = await Bm25Index.OpenOrBuildAsync(ds, new Bm25IndexOptions(parse.GetValue(fields), parse.GetValue(threads)), progress, cancellationToken: cancellationToken);
                var miner = new Bm25NegativeMiner(index, options, new Bm25SearchOptions(parse.GetValue(k1), parse.GetValue(b), Threads: parse.GetValue(threads)));
                return await miner.MineToFileAsync(ds, parse.GetValue(mining.Split)!, path, progress, cancellationToken);
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
}
