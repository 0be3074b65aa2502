using System.CommandLine;
using System.Globalization;
using HardNegatives.Training;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn train</c>: train a bi-encoder on a triples file into a sentence-transformers model folder.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var d = new TrainingOptions();
        var model = new Option<string>("--model") { Description = $"Model folder to fine-tune, or a from-scratch preset: {string.Join(", ", BiEncoderModels.PresetNames)}, with options e.g. tiny:layers=2,dim=128 (bundled bert-base-uncased vocabulary).", DefaultValueFactory = _ => "tiny" };
        var triples = new Option<string>("--triples") { Description = "Triples JSONL file (hn mine …).", Required = true };
        var output = new Option<string>("--output") { Description = "Folder for the model, train-log.jsonl and checkpoints; rerunning resumes.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the triples.", DefaultValueFactory = _ => d.Epochs };
        var maxSteps = new Option<int>("--max-steps") { Description = "Train exactly this many optimizer steps instead (0: use --epochs).", DefaultValueFactory = _ => d.MaxSteps };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per batch (in-batch negatives grow with it).", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => d.LearningRate };
        var warmup = new Option<double>("--warmup") { Description = "Fraction of steps for linear warm-up.", DefaultValueFactory = _ => d.WarmupRatio };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per text, [CLS]/[SEP] included.", DefaultValueFactory = _ => 256 };
        var loss = new Option<string>("--loss") { Description = "mnrl (InfoNCE, in-batch + hard negatives), cached-mnrl (GradCache, same gradients in less memory), triplet.", DefaultValueFactory = _ => "mnrl" };
        var seed = new Option<long>("--seed") { Description = "Seed for initialisation, dropout and batch order.", DefaultValueFactory = _ => d.Seed };
        var negatives = new Option<int>("--hard-negatives") { Description = "Hard negatives per row (the first K of each triple).", DefaultValueFactory = _ => d.HardNegatives };
        var accumulate = new Option<int>("--accumulate") { Description = "Batches per optimizer step (gradient accumulation).", DefaultValueFactory = _ => d.GradientAccumulation };
        var miniBatch = new Option<int>("--mini-batch-size") { Description = "Mini-batch of cached-mnrl.", DefaultValueFactory = _ => d.MiniBatchSize };
        var scale = new Option<double>("--scale") { Description = "MNRL score scale (1/temperature).", DefaultValueFactory = _ => d.Scale };
        var similarity = new Option<string>("--similarity") { Description = "cosine or dot.", DefaultValueFactory = _ => "cosine" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (not on biases and layer norms).", DefaultValueFactory = _ => d.WeightDecay };
        var clip = new Option<double>("--max-grad-norm") { Description = "Clip gradients to this L2 norm (0: off).", DefaultValueFactory = _ => d.MaxGradNorm };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Optimizer steps between checkpoints (0: none).", DefaultValueFactory = _ => d.CheckpointEvery };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda, cuda:N.", DefaultValueFactory = _ => "auto" };
        var fresh = new Option<bool>("--no-resume") { Description = "Ignore checkpoints in --output and start over." };
        var command = new Command("train", "Train a bi-encoder (DistilBERT) on triples with MNRL/InfoNCE, AdamW, warm-up; resumable.")
        {
            model, triples, output, epochs, maxSteps, batchSize, lr, warmup, maxLength, loss, seed, negatives, accumulate, miniBatch,
            scale, similarity, weightDecay, clip, checkpointEvery, device, fresh,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var training = new TrainingOptions(
                Epochs: parse.GetValue(epochs), BatchSize: parse.GetValue(batchSize), LearningRate: parse.GetValue(lr),
                WarmupRatio: parse.GetValue(warmup), WeightDecay: parse.GetValue(weightDecay), MaxGradNorm: parse.GetValue(clip),
                GradientAccumulation: parse.GetValue(accumulate), HardNegatives: parse.GetValue(negatives),
                Loss: TrainingOptions.ParseLoss(parse.GetValue(loss)!), Scale: parse.GetValue(scale),
                Similarity: ParseSimilarity(parse.GetValue(similarity)!), MiniBatchSize: parse.GetValue(miniBatch), Seed: parse.GetValue(seed),
                CheckpointEvery: parse.GetValue(checkpointEvery), Resume: !parse.GetValue(fresh), MaxSteps: parse.GetValue(maxSteps));
            var options = new BiEncoderTrainingOptions(parse.GetValue(model)!, parse.GetValue(maxLength), parse.GetValue(device)!, training);
            var result = await TrainingProgressView.RunAsync($"train {options.Model}",
                progress => BiEncoderTrainer.TrainAsync(options, parse.GetValue(triples)!, parse.GetValue(output)!, progress, cancellationToken));
            if (result.ResumedFromStep is { } from) Console.WriteLine($"resumed from step {from:N0}");
            Console.WriteLine($"{result.Steps:N0} steps, {result.Epochs} epoch(s), {result.Rows:N0} rows" +
                (result.SkippedRows > 0 ? $" ({result.SkippedRows:N0} skipped: fewer than {training.HardNegatives} hard negatives)" : "") +
                $", final loss {result.FinalLoss.ToString("F4", CultureInfo.InvariantCulture)}, {result.Elapsed.TotalMinutes:F1} min → {result.OutputDirectory}");
        });
        return command;
    }

    internal static SimilarityFunction ParseSimilarity(string text) => text.ToLowerInvariant() switch
    {
        "cosine" or "cos" => SimilarityFunction.Cosine,
        "dot" => SimilarityFunction.Dot,
        _ => throw new ArgumentException($"unknown similarity '{text}'; use cosine or dot"),
    };
}

/// <summary>A Spectre progress bar for training: step/total, loss, learning rate and examples/s.</summary>
static class TrainingProgressView
{
    public static async Task<T> RunAsync<T>(string title, Func<IProgress<TrainingProgress>, Task<T>> work)
    {
        if (PlainProgressLines.Wanted)
        {
            // Plain log lines when piped (CI, notebooks): every 10% of the steps, with the loss at that step.
            var lines = new PlainProgressLines(title);
            return await work(new Callback(p =>
                lines.Report("step", p.Step, p.TotalSteps, FormattableString.Invariant($"loss {p.Loss:F4} lr {p.LearningRate:E2} {p.ExamplesPerSecond:F1} ex/s"))));
        }
        T result = default!;
        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title).IsIndeterminate();
                result = await work(new Callback(p =>
                {
                    task.IsIndeterminate = false;
                    task.MaxValue = p.TotalSteps;
                    task.Value = p.Step;
                    task.Description = Markup.Escape(FormattableString.Invariant($"{title} · step {p.Step}/{p.TotalSteps} · loss {p.Loss:F4} · lr {p.LearningRate:E2} · {p.ExamplesPerSecond:F1} ex/s"));
                }));
            });
        return result;
    }

    /// <summary>Reports on the training thread at once (Spectre's task is thread-safe), unlike System.Progress.</summary>
    sealed class Callback(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
