using HardNegatives.Data;

namespace HardNegatives.Experiments;

// Stages whose library parts are still being merged (training, dense retrieval, cross-encoder mining, BM25 mining).
public sealed partial class KitStages
{
    static Task<int> MineCrossEncoderAsync(BeirDataset dataset, IReadOnlyList<TrainingPair> pairs, NegativeSourceSpec source, int seed, string output,
        IProgress<StepProgress> progress, CancellationToken ct) => throw new NotSupportedException("cross-encoder mining is not merged yet");

    static Func<IReadOnlyList<(string Query, string Passage)>, Task<IReadOnlyList<float>>>? CrossEncoderScorerFor(ExperimentSpec spec) => null;

}
