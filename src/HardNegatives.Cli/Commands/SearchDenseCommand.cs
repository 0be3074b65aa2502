using System.CommandLine;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Retrieval;
using HardNegatives.Training;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn search dense</c>: exact dense retrieval with a trained bi-encoder: embed the split's queries and the whole corpus
/// (title + text, as BEIR), score every pair with the model's similarity and write the top-k per query as a TREC run.
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
            var run = await SearchAsync(encoder, ds, parse.GetValue(split)!, options, parse.GetValue(batchSize), cancellationToken);
            await TrecRunFile.WriteAsync(parse.GetValue(output)!, run, cancellationToken);
            Console.WriteLine($"{run.Select(r => r.QueryId).Distinct().Count():N0} queries, {run.Count:N0} run lines → {parse.GetValue(output)} ({clock.Elapsed.TotalSeconds:F1} s)");
        });
        return command;
    }

    /// <summary>Embeds queries and corpus, then runs <see cref="ExactDenseSearch"/>.</summary>
    internal static async Task<IReadOnlyList<RunEntry>> SearchAsync(SentenceEncoderModel encoder, BeirDataset ds, string split, ExactDenseSearchOptions options, int batchSize, CancellationToken cancellationToken)
    {
        var queries = ds.QueriesOf(split);
        var (docIds, docTexts) = EncodeCommand.Texts(ds, "corpus", null);
        int dim = encoder.Encoder.Dimension;
        var q = await EncodeCommand.EncodeWithProgressAsync(encoder, queries.Select(x => x.Text).ToList(), batchSize, $"encode {ds.Name} {split} queries", cancellationToken);
        var d = await EncodeCommand.EncodeWithProgressAsync(encoder, docTexts, batchSize, $"encode {ds.Name} corpus", cancellationToken);
        return ExactDenseSearch.Search(new EmbeddingMatrix(queries.Select(x => x.Id).ToList(), q, dim), new EmbeddingMatrix(docIds, d, dim), options, cancellationToken: cancellationToken);
    }
}
