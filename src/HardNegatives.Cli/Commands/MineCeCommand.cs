using System.CommandLine;
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
        var model = new Option<string>("--model") { Description = "Cross-encoder: a local Hugging Face folder or a Hub id (e.g. cross-encoder/ms-marco-MiniLM-L-6-v2).", Required = true };
        var revision = new Option<string>("--revision") { Description = "Hub revision (branch, tag or commit).", DefaultValueFactory = _ => "main" };
        var candidates = new Option<int>("--candidates") { Description = "BM25 hits reranked per query.", DefaultValueFactory = _ => 100 };
        var mining = new MiningCliOptions();
        var activation = new Option<string>("--activation") { Description = "Score = the logit (identity) or sigmoid(logit); auto: what the model declares, as sentence-transformers' predict (sigmoid when nothing is declared). Changes what margins mean.", DefaultValueFactory = _ => "auto" };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per forward pass.", DefaultValueFactory = _ => 32 };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per (query, passage) pair.", DefaultValueFactory = _ => 512 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16.", DefaultValueFactory = _ => "float32" };
        var k1 = Bm25CliOptions.K1();
        var b = Bm25CliOptions.B();
        var fields = Bm25CliOptions.Fields();
        var threads = Bm25CliOptions.Threads();
        var command = new Command("ce", "Mine cross-encoder hard negatives: BM25 candidates reranked, same window/sampling/margin rules as bm25.")
            { dataset, model, revision, candidates, activation, batchSize, maxLength, device, dtype, k1, b, fields, threads };
        foreach (var option in mining.All) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = mining.Parse(parse);
            var rerank = new CrossEncoderMiningOptions(parse.GetValue(candidates), parse.GetValue(batchSize));
            rerank.Validate();
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            var modelName = parse.GetValue(model)!;
            var folder = await ModelResolver.ResolveAsync(modelName, parse.GetValue(revision)!, cancellationToken: cancellationToken);
            using var crossEncoder = CrossEncoder.Load(folder, TorchDevices.Parse(parse.GetValue(device)), TorchDevices.ParseDType(parse.GetValue(dtype)!),
                parse.GetValue(maxLength), ParseActivation(parse.GetValue(activation)!));
            var path = parse.GetValue(mining.Output)!;
            var summary = await Bm25CliOptions.WithProgressAsync($"mine ce {ds.Name}", async progress =>
            {
                using var index = await Bm25Index.OpenOrBuildAsync(ds, new Bm25IndexOptions(parse.GetValue(fields), parse.GetValue(threads)), progress, cancellationToken: cancellationToken);
                var miner = new CrossEncoderNegativeMiner(index, crossEncoder, options, rerank,
                    new Bm25SearchOptions(parse.GetValue(k1), parse.GetValue(b), Threads: parse.GetValue(threads)), modelName);
                return await miner.MineToFileAsync(ds, parse.GetValue(mining.Split)!, path, progress, cancellationToken);
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
}
