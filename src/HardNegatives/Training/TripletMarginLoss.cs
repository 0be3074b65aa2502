using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>Distance used by <see cref="TripletMarginLoss"/> (sentence-transformers' <c>TripletDistanceMetric</c>).</summary>
public enum TripletDistance
{
    /// <summary>‖a − b‖₂ (sentence-transformers' default, with margin 5).</summary>
    Euclidean,
    /// <summary>1 − cos(a, b).</summary>
    Cosine,
}

/// <summary>
/// Triplet loss: <c>max(0, d(a, p) − d(a, n) + margin)</c>, averaged over rows and over each row's hard negatives.
/// </summary>
/// <remarks>
/// <para>With one negative per row this is exactly sentence-transformers' <c>TripletLoss</c> (Euclidean distance, margin 5
/// by default). With K negatives every (anchor, positive, negative) triple counts once. No in-batch negatives are used,
/// which is why the paper's setting uses <see cref="MultipleNegativesRankingLoss"/> by default.</para>
/// <para>Reference: Schroff et al. 2015 (FaceNet); sentence_transformers/losses/TripletLoss.py.</para>
/// </remarks>
public sealed class TripletMarginLoss(double margin = 5.0, TripletDistance distance = TripletDistance.Euclidean) : EmbeddingLoss
{
    public double Margin { get; } = margin;
    public TripletDistance Distance { get; } = distance;
    public override string Name => "triplet";

    public override Tensor Forward(Tensor anchors, Tensor positives, IReadOnlyList<Tensor> negativeColumns)
    {
        if (negativeColumns.Count == 0)
            throw new ArgumentException("the triplet loss needs at least one hard negative per row; use --hard-negatives 1 or the mnrl loss");
        using var scope = NewDisposeScope();
        var dPos = Dist(anchors, positives);
        var losses = stack(negativeColumns.Select(n => nn.functional.relu(dPos - Dist(anchors, n) + Margin)).ToArray());
        return losses.mean().MoveToOuterDisposeScope();
    }

    Tensor Dist(Tensor a, Tensor b) => Distance switch
    {
        // torch.nn.functional.pairwise_distance adds eps 1e-6 to the difference, as TripletLoss's EUCLIDEAN does.
        TripletDistance.Euclidean => nn.functional.pairwise_distance(a, b, p: 2, eps: 1e-6),
        TripletDistance.Cosine => 1 - Similarity.Pairwise(SimilarityFunction.Cosine, a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(Distance)),
    };
}
