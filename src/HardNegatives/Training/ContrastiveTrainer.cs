using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HardNegatives.Data;
using HardNegatives.Negatives;
using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// Trains any <see cref="IEmbeddingModel"/> on triples: batches without duplicate texts, a contrastive objective,
/// AdamW with decoupled weight decay, linear warm-up and decay, gradient clipping and accumulation, checkpoints that
/// resume to bit-identical weights on CPU, a JSONL metrics log and <see cref="IProgress{T}"/> reports.
/// </summary>
/// <remarks>
/// <para><b>Output folder.</b> <c>train-log.jsonl</c> (one line per step), <c>checkpoints/</c> while the run is going
/// (deleted when it completes), <c>training.json</c> (options and result, written last), and whatever
/// <see cref="IEmbeddingModel.Save"/> writes (for DistilBERT: a sentence-transformers folder).</para>
/// <para><b>Steps.</b> An optimizer step consumes <c>GradientAccumulation</c> batches of one epoch (fewer at an epoch's
/// end); each batch's loss is divided by the number of batches in the step.</para>
/// <para><b>Determinism.</b> On CPU, with the same seed and options, a run and a run killed and resumed end with equal
/// weights: the batch order is a function of (seed, epoch), the schedule a function of the step, and the checkpoint holds
/// model, optimizer and generator state.</para>
/// </remarks>
public static class ContrastiveTrainer
{
    /// <summary>Name of the metrics log in the output folder.</summary>
    public const string LogFileName = "train-log.jsonl";
    /// <summary>Name of the run summary written when training completes.</summary>
    public const string SummaryFileName = "training.json";
    /// <summary>Name of the checkpoints folder inside the output folder.</summary>
    public const string CheckpointsFolderName = "checkpoints";

    /// <summary>Trains <paramref name="model"/> in place and saves it to <paramref name="outputDirectory"/>.</summary>
    public static Task<TrainingResult> TrainAsync(
        IEmbeddingModel model, IReadOnlyList<Triple> triples, TrainingOptions options, string outputDirectory,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Train(model, triples, options, outputDirectory, progress, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The synchronous core of <see cref="TrainAsync"/>, on the calling thread.</summary>
    public static TrainingResult Train(
        IEmbeddingModel model, IReadOnlyList<Triple> triples, TrainingOptions options, string outputDirectory,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        int k = options.HardNegatives;
        var rows = triples.Where(t => t.Negatives.Count >= k).ToList();
        int skipped = triples.Count - rows.Count;
        if (rows.Count == 0)
            throw new ArgumentException($"none of the {triples.Count} triples has {k} hard negatives; lower --hard-negatives or mine more negatives");

        var rowTexts = rows.Select(r => (IReadOnlyList<string>)[r.Query, r.Positive, .. r.Negatives.Take(k).Select(n => n.Text)]).ToList();
        var sampler = new NoDuplicatesBatchSampler(rowTexts, options.BatchSize, unchecked((ulong)options.Seed), options.DropLast);
        int accumulation = options.GradientAccumulation;
        int StepsOf(IReadOnlyList<int[]> batches) => (batches.Count + accumulation - 1) / accumulation;
        var epochBatches = Enumerable.Range(0, options.Epochs).Select(sampler.Batches).ToList();
        if (epochBatches.Sum(StepsOf) == 0) throw new ArgumentException($"{rows.Count} rows make no batch of {options.BatchSize} with --drop-last; lower --batch-size");
        if (options.MaxSteps > 0)
        {
            // max_steps decides: as many epochs as it takes, then stop mid-epoch.
            while (epochBatches.Sum(StepsOf) < options.MaxSteps) epochBatches.Add(sampler.Batches(epochBatches.Count));
            while (epochBatches.Count > 1 && epochBatches.Take(epochBatches.Count - 1).Sum(StepsOf) >= options.MaxSteps) epochBatches.RemoveAt(epochBatches.Count - 1);
        }
        int totalSteps = options.MaxSteps > 0 ? options.MaxSteps : epochBatches.Sum(StepsOf);
        var schedule = new LinearWarmupSchedule(options.LearningRate, (int)Math.Ceiling(totalSteps * options.WarmupRatio), totalSteps);
        var objective = options.CreateObjective();

        Directory.CreateDirectory(outputDirectory);
        var checkpoints = Path.Combine(outputDirectory, CheckpointsFolderName);
        var fingerprint = Fingerprint(options, rowTexts);
        var parameters = model.Module.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = WeightDecayGroups.CreateAdamW(model.Module, options.LearningRate, options.WeightDecay);

        int step = 0, epoch = 0, batchInEpoch = 0;
        int? resumedFrom = null;
        if (options.Resume && TrainingCheckpoint.Latest(checkpoints) is { } checkpoint)
        {
            if (checkpoint.Fingerprint != fingerprint)
                throw new InvalidOperationException(
                    $"{TrainingCheckpoint.FolderOf(checkpoints, checkpoint.Step)} was written with other options or triples; " +
                    "use a new --output folder, or delete its checkpoints to start over");
            checkpoint.Restore(checkpoints, model.Module, optimizer);
            (step, epoch, batchInEpoch, resumedFrom) = (checkpoint.Step, checkpoint.Epoch, checkpoint.BatchInEpoch, checkpoint.Step);
        }
        else
        {
            manual_seed(options.Seed);
        }

        using var log = new MetricsLog(Path.Combine(outputDirectory, LogFileName), step);
        model.Module.train();
        double lastLoss = double.NaN;
        for (; epoch < epochBatches.Count && step < totalSteps; epoch++, batchInEpoch = 0)
        {
            var batches = epochBatches[epoch];
            while (batchInEpoch < batches.Count && step < totalSteps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                int groupSize = Math.Min(accumulation, batches.Count - batchInEpoch);
                double lr = schedule.At(step);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

                double lossSum = 0, gradNorm = 0;
                int examples = 0;
                using (var scope = NewDisposeScope())
                {
                    for (int g = 0; g < groupSize; g++)
                    {
                        var batch = Build(rows, batches[batchInEpoch + g], k);
                        lossSum += objective.Backward(model, batch, 1.0 / groupSize);
                        examples += batch.Count;
                    }
                    if (options.MaxGradNorm > 0) gradNorm = nn.utils.clip_grad_norm_(parameters, options.MaxGradNorm);
                    optimizer.step();
                    optimizer.zero_grad();
                }
                step++;
                batchInEpoch += groupSize;
                lastLoss = lossSum / groupSize;

                double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var report = new TrainingProgress(step, totalSteps, epoch, lastLoss, lr, gradNorm, seconds, examples / Math.Max(seconds, 1e-9));
                log.Write(report);
                progress?.Report(report);

                if (options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0 && step < totalSteps)
                {
                    var (nextEpoch, nextBatch) = batchInEpoch >= batches.Count ? (epoch + 1, 0) : (epoch, batchInEpoch);
                    new TrainingCheckpoint(step, nextEpoch, nextBatch, fingerprint).Save(checkpoints, model.Module, optimizer);
                }
            }
        }

        model.Module.eval();
        model.Save(outputDirectory);
        var result = new TrainingResult(step, epochBatches.Count, rows.Count, skipped, lastLoss, resumedFrom, clock.Elapsed, Path.GetFullPath(outputDirectory));
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, SummaryFileName), JsonSerializer.Serialize(new { completed = true, options, result, fingerprint }, SummaryJson));
        if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
        return result;
    }

    static readonly JsonSerializerOptions SummaryJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    static TrainingBatch Build(IReadOnlyList<Triple> rows, int[] indices, int k)
    {
        var picked = indices.Select(i => rows[i]).ToList();
        return new TrainingBatch(
            picked.Select(r => r.Query).ToList(),
            picked.Select(r => r.Positive).ToList(),
            Enumerable.Range(0, k).Select(j => (IReadOnlyList<string>)picked.Select(r => r.Negatives[j].Text).ToList()).ToList());
    }

    /// <summary>Options that shape the trajectory, plus a hash of the training texts: a resume must see the same.</summary>
    static string Fingerprint(TrainingOptions options, IReadOnlyList<IReadOnlyList<string>> rowTexts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in rowTexts)
            foreach (var text in row) { sha.AppendData(Encoding.UTF8.GetBytes(text)); sha.AppendData([0]); }
        var shaping = options with { CheckpointEvery = 0, Resume = false };
        return $"{JsonSerializer.Serialize(shaping, SummaryJson).ReplaceLineEndings("").Replace(" ", "")}|rows={rowTexts.Count}|sha256={Convert.ToHexStringLower(sha.GetHashAndReset())}";
    }
}
