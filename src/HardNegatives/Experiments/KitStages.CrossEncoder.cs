using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Models.Hub;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Experiments;

// Cross-encoder mining, and the cross-encoder behind the report's false-negative estimate.
public sealed partial class KitStages
{
    static async Task<int> MineCrossEncoderAsync(BeirDataset dataset, TrainingDataSpec training, NegativeSourceSpec source, int seed, string output,
        IProgress<StepProgress> progress, CancellationToken ct)
    {
        using var index = await Bm25Index.OpenOrBuildAsync(dataset, new Bm25IndexOptions(), cancellationToken: ct);
        using var crossEncoder = CrossEncoder.Load(await ModelResolver.ResolveAsync(source.Model!, cancellationToken: ct), TorchDevices.Parse("auto"));
        var miner = new CrossEncoderNegativeMiner(index, crossEncoder, MiningOptions(source, seed),
            new CrossEncoderMiningOptions(Candidates: source.Candidates), modelName: source.Model);
        var summary = await miner.MineToFileAsync(dataset, training.Split, output, MiningProgress("cross-encoder mining", progress), ct, training.Limit);
        return (int)summary.Rows;
    }

    /// <summary>A cross-encoder for the diagnostics' false-negative estimate: the spec's first <c>ce</c> source with a model, else none.</summary>
    public static async Task<Func<IReadOnlyList<(string Query, string Passage)>, Task<IReadOnlyList<float>>>?> DiagnosticsCrossEncoderAsync(
        ExperimentSpec spec, CancellationToken cancellationToken)
    {
        var model = spec.Sources.FirstOrDefault(s => s.Kind == NegativeSourceKind.Ce && !string.IsNullOrWhiteSpace(s.Model))?.Model;
        if (model is null) return null;
        var crossEncoder = CrossEncoder.Load(await ModelResolver.ResolveAsync(model, cancellationToken: cancellationToken), TorchDevices.Parse("auto"));
        return pairs => Task.Run<IReadOnlyList<float>>(() =>
            crossEncoder.Score(pairs.Select(p => p.Query).ToList(), pairs.Select(p => p.Passage).ToList(), cancellationToken: cancellationToken));
    }
}
