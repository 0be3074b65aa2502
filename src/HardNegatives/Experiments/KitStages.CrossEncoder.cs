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
        var queries = Bm25NegativeMiner.TrainingQueries(dataset, training.Split);
        if (training.Limit > 0) queries = queries.Take(training.Limit).ToList();
        var summary = new MiningSummary(miner.Options, CrossEncoderNegativeMiner.Source);
        var rows = miner.Mine(queries, queries.Max(q => q.ExcludedIds.Count), summary, new Progress<Bm25Progress>(p =>
            progress.Report(new StepProgress($"cross-encoder mining {p.Done}/{queries.Count}", (double)p.Done / queries.Count))), queries.Count, ct);
        return await WriteAsync(output, rows, ct);
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
