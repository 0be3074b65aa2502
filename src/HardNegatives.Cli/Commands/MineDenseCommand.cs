using System.CommandLine;
using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Models.Hub;
using HardNegatives.Retrieval;
using HardNegatives.Training;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn mine dense</c>: a bi-encoder's nearest documents as candidates (optionally rescored by a cross-encoder).</summary>
static class MineDenseCommand
{
    public static Command Create()
    {
        var dataset = Bm25CliOptions.Dataset();
        var model = new Option<string>("--model") { Description = "Bi-encoder: a model folder, or all-MiniLM-L6-v2 (embedded).", Required = true };
        var candidates = new Option<int?>("--candidates") { Description = "Nearest documents per query; default the window end plus the most positives of a query." };
        var similarity = new Option<string>("--similarity") { Description = "cosine or dot.", DefaultValueFactory = _ => "cosine" };
        var rescore = new Option<string?>("--rescore") { Description = "Cross-encoder (folder or Hub id) that rescores candidates and positives; the rules then use its scores." };
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per bi-encoder forward pass.", DefaultValueFactory = _ => 64 };
        var maxLength = new Option<int?>("--max-length") { Description = "Tokens per text; default the model's max_seq_length." };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var mining = new MiningCliOptions();
        var command = new Command("dense", "Mine bi-encoder hard negatives (sentence-transformers' default path), same window/sampling/margin rules as bm25.")
            { dataset, model, candidates, similarity, rescore, batchSize, maxLength, device };
        foreach (var option in mining.All) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = mining.Parse(parse);
            var dense = new DenseMiningOptions(parse.GetValue(candidates), parse.GetValue(batchSize),
                parse.GetValue(similarity)!.ToLowerInvariant() switch
                {
                    "cosine" => DenseSimilarity.Cosine,
                    "dot" => DenseSimilarity.Dot,
                    var other => throw new ArgumentException($"--similarity {other}: use cosine or dot"),
                });
            dense.Validate();
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            var deviceValue = TorchDevices.Parse(parse.GetValue(device));
            var modelName = parse.GetValue(model)!;
            var folder = BiEncoderModels.ResolveFolder(modelName) ?? throw new DirectoryNotFoundException($"model '{modelName}' is neither a folder nor a known model");
            using var loaded = SentenceEncoder.Load(folder, deviceValue);
            var encoder = parse.GetValue(maxLength) is { } max ? new SentenceEncoder(loaded.Transformer, loaded.Tokenizer, loaded.PoolingOptions, max, loaded.Prompts) : loaded;
            CrossEncoder? rescorer = null;
            if (parse.GetValue(rescore) is { } ce)
                rescorer = CrossEncoder.Load(await ModelResolver.ResolveAsync(ce, cancellationToken: cancellationToken), deviceValue);
            try
            {
                var path = parse.GetValue(mining.Output)!;
                var miner = new DenseNegativeMiner(ds, encoder, options, dense, rescorer, modelName, parse.GetValue(rescore));
                var summary = await Bm25CliOptions.WithProgressAsync($"mine dense {ds.Name}", progress =>
                    miner.MineToFileAsync(parse.GetValue(mining.Split)!, path, progress, cancellationToken));
                Console.Write(summary.Format());
                Console.WriteLine($"→ {path}");
            }
            finally { rescorer?.Dispose(); }
        });
        return command;
    }
}
