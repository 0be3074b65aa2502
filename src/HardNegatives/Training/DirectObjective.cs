using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// The plain way: embed every column of the batch with grad, compute the loss, back-propagate. Memory grows with the
/// whole batch's activations; use <see cref="GradCacheObjective"/> for large batches.
/// </summary>
public sealed class DirectObjective(EmbeddingLoss loss) : ITrainingObjective
{
    public EmbeddingLoss Loss { get; } = loss;

    public double Backward(IEmbeddingModel model, TrainingBatch batch, double lossMultiplier)
    {
        using var scope = NewDisposeScope();
        var columns = batch.Columns().Select(model.Encode).ToList();
        var loss = Loss.Forward(columns[0], columns[1], columns.Skip(2).ToList());
        (loss * lossMultiplier).backward();
        return loss.item<float>();
    }
}
