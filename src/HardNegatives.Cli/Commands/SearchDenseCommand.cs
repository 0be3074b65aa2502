using System.CommandLine;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Retrieval;
using HardNegatives.Training;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn search dense</c>: exact dense retrieval with a trained bi-encoder (<see cref="DenseRetriever"/>): embed the split's
/// queries, stream the corpus (title + text, as BEIR) in chunks, keep the top-k per query, write a TREC run.
/// </summary>
static class SearchDenseCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Trained model folder (hn train) or sentence-transformers folder.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Bundled or downloaded dataset name, or a BEIR folder.", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split whose queries are searched.", DefaultValueFactory = _ => "test" };
        var topK = new Option<int>("--top-k") { Description = "Hits per query.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--output") { Description = "TREC run file to write.", Required = true };
        var similarity = new Option<string>("--similarity") { Description = "cosine (the trainer's default) or dot.", DefaultValueFactory = _ => "cosine" };
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per forward pass.", DefaultValueFactory = _ => 64 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda, cuda:N.", DefaultValueFactory = _ => "auto" };
        var tag = new Option<string>("--tag") { Description = "Run tag (last column).", DefaultValueFactory = _ => "dense" };
        var command = new Command("dense", "Exact dense retrieval with a bi-encoder over a BEIR dataset; writes a TREC run.")
        {
            model, dataset, split, topK, output, similarity, batchSize, device, tag,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            using var encoder = BiEncoderModels.Load(parse.GetValue(model)!, TorchDevices.Parse(parse.GetValue(device)));
            var options = new ExactDenseSearchOptions
            {
                TopK = parse.GetValue(topK),
                Similarity = TrainCommand.ParseSimilarity(parse.GetValue(similarity)!) == SimilarityFunction.Dot ? DenseSimilarity.Dot : DenseSimilarity.Cosine,
                RunTag = parse.GetValue(tag)!,
            };
            var run = await ProgressDisplay.RunAsync($"dense search {ds.Name} {parse.GetValue(split)}", (IProgress<DenseRetrievalProgress> progress) =>
                DenseRetriever.Search(encoder.Encoder, ds, parse.GetValue(split)!, options, parse.GetValue(batchSize), progress: progress, cancellationToken: cancellationToken),
                p => (p.Part == "queries" ? $"embedding queries" : "embedding and searching the corpus", p.Done, p.Total > 0 ? p.Total : null));
            await TrecRunFile.WriteAsync(parse.GetValue(output)!, run, cancellationToken);
            Console.WriteLine($"{run.Select(r => r.QueryId).Distinct().Count():N0} queries, {run.Count:N0} run lines → {parse.GetValue(output)} ({clock.Elapsed.TotalSeconds:F1} s)");
        });
        return command;
    }
}
