using System.Globalization;
using HardNegatives.Models;
using HardNegatives.Retrieval;
using HardNegatives.Training;

namespace HardNegatives.Experiments;

// Training and dense retrieval stages.
public sealed partial class KitStages
{
    public async Task<IReadOnlyDictionary<string, string>> TrainAsync(ModelSpec model, string triplesPath, int seed, string outputDir,
        IProgress<StepProgress> progress, CancellationToken cancellationToken)
    {
        var training = new TrainingOptions(
            Epochs: model.Epochs, BatchSize: model.BatchSize, LearningRate: model.LearningRate, WarmupRatio: model.WarmupRatio,
            Loss: model.Loss switch { "triplet" => LossKind.Triplet, "cached_mnrl" => LossKind.CachedMnrl, _ => LossKind.Mnrl },
            Seed: seed, MaxSteps: model.MaxSteps);
        // A preset or a local folder as is; any other name is a Hugging Face repo, fetched into the Hub cache (offline: a clear error).
        var baseModel = BiEncoderModels.ResolveFolder(model.Base) is not null || BiEncoderModels.IsPreset(model.Base)
            ? model.Base
            : await Models.Hub.ModelResolver.ResolveAsync(model.Base, cancellationToken: cancellationToken);
        var options = new BiEncoderTrainingOptions(baseModel, model.MaxLength, Training: training);
        // outputDir is the artifact's work folder, kept across a kill: training resumes from its checkpoints there.
        var modelDir = Path.Combine(outputDir, ArtifactFiles.Model);
        var result = await BiEncoderTrainer.TrainAsync(options, triplesPath, modelDir,
            new Progress<TrainingProgress>(p => progress.Report(new StepProgress(
                $"step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} {p.ExamplesPerSecond:F0} ex/s", p.TotalSteps == 0 ? null : (double)p.Step / p.TotalSteps))),
            cancellationToken);
        return new Dictionary<string, string>
        {
            ["steps"] = $"{result.Steps}", ["rows"] = $"{result.Rows}",
            ["final_loss"] = result.FinalLoss.ToString("R", CultureInfo.InvariantCulture), ["seconds"] = $"{result.Elapsed.TotalSeconds:F0}",
        };
    }

    public Task<IReadOnlyDictionary<string, string>> RetrieveDenseAsync(string modelDir, string dataset, string split, int topK, int? maxLength, string outputDir,
        IProgress<StepProgress> progress, CancellationToken cancellationToken) => Task.Run<IReadOnlyDictionary<string, string>>(async () =>
    {
        using var encoder = BiEncoderModels.Load(modelDir, TorchDevices.Parse("auto"), maxLength);
        var data = Data.DatasetLocator.Open(dataset);
        var run = DenseRetriever.Search(encoder.Encoder, data, split, new ExactDenseSearchOptions { TopK = topK, Similarity = DenseSimilarity.Cosine },
            progress: new Progress<DenseRetrievalProgress>(p => progress.Report(new StepProgress(
                $"embedding {p.Part} {p.Done:N0}" + (p.Total > 0 ? $"/{p.Total:N0}" : ""), p.Total > 0 ? (double)p.Done / p.Total : null))),
            cancellationToken: cancellationToken);
        await TrecRunFile.WriteAsync(Path.Combine(outputDir, ArtifactFiles.Run), run, cancellationToken);
        return new Dictionary<string, string> { ["queries"] = $"{run.Select(r => r.QueryId).Distinct().Count()}", ["max_length"] = $"{encoder.Encoder.MaxSeqLength}" };
    }, cancellationToken);
}
