using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Models.Hub;
using HardNegatives.Training;

namespace HardNegatives.Experiments;

// Dense (bi-encoder) mining, optionally rescored by a cross-encoder.
public sealed partial class KitStages
{
    /// <summary>The bi-encoder a <c>dense</c> source mines with when it names none.</summary>
    public const string DefaultDenseMiner = "all-MiniLM-L6-v2";

    static async Task<int> MineDenseAsync(BeirDataset dataset, TrainingDataSpec training, NegativeSourceSpec source, int seed, string output,
        IProgress<StepProgress> progress, CancellationToken ct)
    {
        var modelName = string.IsNullOrWhiteSpace(source.Model) ? DefaultDenseMiner : source.Model;
        var folder = BiEncoderModels.ResolveFolder(modelName) ?? throw new DirectoryNotFoundException($"dense source '{source.Name}': model '{modelName}' not found");
        var loaded = SentenceEncoder.Load(folder, TorchDevices.Parse("auto"));
        using var encoder = source.MaxLength is { } maxLength ? loaded.WithMaxSeqLength(maxLength) : loaded;
        using var rescorer = string.IsNullOrWhiteSpace(source.RescoreModel) ? null
            : CrossEncoder.Load(await ModelResolver.ResolveAsync(source.RescoreModel, cancellationToken: ct), TorchDevices.Parse("auto"));
        var miner = new DenseNegativeMiner(dataset, encoder, MiningOptions(source, seed), new DenseMiningOptions(Candidates: source.Candidates),
            rescorer, modelName, source.RescoreModel);
        var summary = await miner.MineToFileAsync(training.Split, output, MiningProgress("dense mining", progress), ct, training.Limit);
        return (int)summary.Rows;
    }
}
