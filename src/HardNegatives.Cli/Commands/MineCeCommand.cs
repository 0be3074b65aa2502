using System.CommandLine;
using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Models.Hub;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn mine ce</c>: BM25 candidates reranked by a cross-encoder, negatives chosen by cross-encoder score.</summary>
static class MineCeCommand
{
    public static Command Create()
    {
        var dataset = Bm25CliOptions.Dataset();
        var split = new Option<string>("--split") { Description = "Qrels split with the training queries and their positives.", DefaultValueFactory = _ => "train" };
        var model = new Option<string>("--model") { Description = "Cross-encoder: a local Hugging Face folder or a Hub id (e.g. cross-encoder/ms-marco-MiniLM-L-6-v2).", Required = true };
        var revision = new Option<string>("--revision") { Description = "Hub revision (branch, tag or commit).", DefaultValueFactory = _ => "main" };
        var candidates = new Option<int>("--candidates") { Description = "BM25 hits reranked per query.", DefaultValueFactory = _ => 100 };
        var numNegatives = new Option<int>("--num-negatives") { Description = "Negatives per query.", DefaultValueFactory = _ => 3 };
        var range = new Option<string?>("--range") { Description = "Rank window MIN:MAX (0-based, MAX exclusive) among candidates left after positives and filters; default sentence-transformers' rule." };
        var sampling = new Option<NegativeSampling>("--sampling") { Description = "top: best of the window; random: seeded sample of it.", DefaultValueFactory = _ => NegativeSampling.Top };
        var seed = new Option<int>("--seed") { Description = "Seed for --sampling random.", DefaultValueFactory = _ => 42 };
        var maxScore = new Option<double?>("--max-score") { Description = "Skip candidates whose cross-encoder score is above this." };
        var minScore = new Option<double?>("--min-score") { Description = "Skip candidates whose cross-encoder score is below this." };
        var absoluteMargin = new Option<double?>("--absolute-margin") { Description = "Skip candidates with score + margin > the query's lowest positive score." };
        var relativeMargin = new Option<double?>("--relative-margin") { Description = "Skip candidates with score > p - |p|*margin (0.05 = NV-Retriever's TopK-PercPos)." };
        var activation = new Option<string>("--activation") { Description = "Score = the logit (identity) or sigmoid(logit); auto: what the model declares, as sentence-transformers' predict (sigmoid when nothing is declared). Changes what margins mean.", DefaultValueFactory = _ => "auto" };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per forward pass.", DefaultValueFactory = _ => 32 };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per (query, passage) pair.", DefaultValueFactory = _ => 512 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16.", DefaultValueFactory = _ => "float32" };
        var output = new Option<string>("--output") { Description = "Triples file: .jsonl, or .parquet.", Required = true };
        var k1 = Bm25CliOptions.K1();
        var b = Bm25CliOptions.B();
        var fields = Bm25CliOptions.Fields();
        var threads = Bm25CliOptions.Threads();
        var command = new Command("ce", "Mine cross-encoder hard negatives: BM25 candidates reranked, same window/sampling/margin rules as bm25.")
            { dataset, split, model, revision, candidates, numNegatives, range, sampling, seed, maxScore, minScore, absoluteMargin, relativeMargin,
              activation, batchSize, maxLength, device, dtype, output, k1, b, fields, threads };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (rangeMin, rangeMax) = ParseRange(parse.GetValue(range));
            var options = new HardNegativeMiningOptions(parse.GetValue(numNegatives), rangeMin, rangeMax, parse.GetValue(sampling), parse.GetValue(seed),
                parse.GetValue(maxScore), parse.GetValue(minScore), parse.GetValue(absoluteMargin), parse.GetValue(relativeMargin));
            options.Validate();
            var rerank = new CrossEncoderMiningOptions(parse.GetValue(candidates), parse.GetValue(batchSize));
            rerank.Validate();
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            var modelName = parse.GetValue(model)!;
            var folder = await ModelResolver.ResolveAsync(modelName, parse.GetValue(revision)!, cancellationToken: cancellationToken);
            using var crossEncoder = CrossEncoder.Load(folder, TorchDevices.Parse(parse.GetValue(device)), TorchDevices.ParseDType(parse.GetValue(dtype)!),
                parse.GetValue(maxLength), ParseActivation(parse.GetValue(activation)!));
            var path = parse.GetValue(output)!;
            var summary = await Bm25CliOptions.WithProgressAsync($"mine ce {ds.Name}", async progress =>
            {
                using var index = await Bm25Index.OpenOrBuildAsync(ds, new Bm25IndexOptions(parse.GetValue(fields), parse.GetValue(threads)), progress, cancellationToken: cancellationToken);
                var miner = new CrossEncoderNegativeMiner(index, crossEncoder, options, rerank,
                    new Bm25SearchOptions(parse.GetValue(k1), parse.GetValue(b), Threads: parse.GetValue(threads)), modelName);
                return await miner.MineToFileAsync(ds, parse.GetValue(split)!, path, progress, cancellationToken);
            });
            Console.Write(summary.Format());
            Console.WriteLine($"→ {path}");
        });
        return command;
    }

    static CrossEncoderActivation? ParseActivation(string text) => text.ToLowerInvariant() switch
    {
        "auto" => null,
        "identity" or "logit" => CrossEncoderActivation.Identity,
        "sigmoid" => CrossEncoderActivation.Sigmoid,
        _ => throw new ArgumentException($"--activation must be auto, identity or sigmoid, got '{text}'"),
    };

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
