using System.CommandLine;
using HardNegatives.Data;
using HardNegatives.Retrieval;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn search bm25</c>: BM25 run of a dataset split (index built and cached on first use).</summary>
static class SearchBm25Command
{
    public static Command Create()
    {
        var dataset = Bm25CliOptions.Dataset();
        var split = new Option<string>("--split") { Description = "Qrels split whose queries are searched.", DefaultValueFactory = _ => "test" };
        var topK = new Option<int>("--top-k") { Description = "Hits per query.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--output") { Description = "TREC run file to write.", Required = true };
        var k1 = Bm25CliOptions.K1();
        var b = Bm25CliOptions.B();
        var fields = Bm25CliOptions.Fields();
        var threads = Bm25CliOptions.Threads();
        var keepSelf = new Option<bool>("--keep-self-matches") { Description = "Keep hits whose document id equals the query id (removed by default, as Pyserini's --remove-query)." };
        var tag = new Option<string>("--tag") { Description = "Run tag (last column).", DefaultValueFactory = _ => "bm25" };
        var command = new Command("bm25", "BM25 (Lucene.Net, Anserini's English analyzer; k1=0.9, b=0.4) over a BEIR dataset; writes a TREC run.")
            { dataset, split, topK, output, k1, b, fields, threads, keepSelf, tag };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            var queries = ds.QueriesOf(parse.GetValue(split)!);
            var searchOptions = new Bm25SearchOptions(parse.GetValue(k1), parse.GetValue(b), parse.GetValue(topK), !parse.GetValue(keepSelf), parse.GetValue(threads));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var lines = await Bm25CliOptions.WithProgressAsync($"bm25 {ds.Name}", async progress =>
            {
                using var index = await Bm25Index.OpenOrBuildAsync(ds, new Bm25IndexOptions(parse.GetValue(fields), parse.GetValue(threads)), progress, cancellationToken: cancellationToken);
                using var searcher = new Bm25Searcher(index, searchOptions);
                long lines = 0;
                var entries = searcher.SearchAll(queries, progress, queries.Count, cancellationToken)
                    .SelectMany(r => r.ToRunEntries(parse.GetValue(tag)!)).Select(e => { lines++; return e; });
                await TrecRunFile.WriteAsync(parse.GetValue(output)!, entries, cancellationToken);
                return lines;
            });
            Console.WriteLine($"{queries.Count:N0} queries, {lines:N0} run lines → {parse.GetValue(output)} ({clock.Elapsed.TotalSeconds:F1} s)");
        });
        return command;
    }
}
