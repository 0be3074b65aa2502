using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// A loss over the embeddings of one batch: anchors <c>[B,H]</c>, positives <c>[B,H]</c> and K hard-negative columns <c>[B,H]</c> each.
/// Returns a scalar (mean over the batch). Losses that need the model itself (GradCache) wrap one of these.
/// </summary>
public abstract class EmbeddingLoss
{
    /// <summary>A short name for logs and the CLI (<c>mnrl</c>, <c>triplet</c>).</summary>
    public abstract string Name { get; }

    public abstract Tensor Forward(Tensor anchors, Tensor positives, IReadOnlyList<Tensor> negativeColumns);
}
