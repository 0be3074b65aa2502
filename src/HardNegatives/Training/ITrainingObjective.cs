namespace HardNegatives.Training;

/// <summary>
/// Turns one batch into gradients on the model's parameters: embeds, computes the loss, back-propagates
/// <c>loss × lossMultiplier</c> (the multiplier is 1/accumulation steps), and returns the unscaled loss value.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>The loss over embeddings that this objective minimises.</summary>
    EmbeddingLoss Loss { get; }

    /// <summary>Adds this batch's gradients to <c>.grad</c> of every parameter; returns the batch loss.</summary>
    double Backward(IEmbeddingModel model, TrainingBatch batch, double lossMultiplier);
}
