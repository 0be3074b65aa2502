using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// InfoNCE with in-batch negatives plus hard negatives: sentence-transformers' <c>MultipleNegativesRankingLoss</c>.
/// </summary>
/// <remarks>
/// <para><b>Definition.</b> For a batch of B rows with K hard negatives each, the candidates are every positive in the batch
/// followed by every hard negative, column by column: <c>C = [p_1..p_B, n_1^1..n_B^1, …, n_1^K..n_B^K]</c> (B·(1+K) rows).
/// Scores <c>S = scale · sim(a_i, c_j)</c>; the loss is <c>mean_i CE(S_i, i)</c>: each anchor must pick its own positive among
/// all positives and all hard negatives of the batch.</para>
/// <para><b>Defaults</b> match sentence-transformers: scale 20 (temperature 0.05), cosine similarity.</para>
/// <para><b>Inputs.</b> Duplicated texts inside a batch become false negatives; sample batches with
/// <see cref="NoDuplicatesBatchSampler"/>.</para>
/// <para><b>Reference.</b> Henderson et al. 2017, "Efficient Natural Language Response Suggestion for Smart Reply";
/// sentence_transformers/losses/MultipleNegativesRankingLoss.py.</para>
/// <example><code>var loss = new MultipleNegativesRankingLoss(scale: 20, SimilarityFunction.Cosine);
/// var value = loss.Forward(queryEmb, positiveEmb, [negativeEmb]);</code></example>
/// </remarks>
public sealed class MultipleNegativesRankingLoss(double scale = 20.0, SimilarityFunction similarity = SimilarityFunction.Cosine) : EmbeddingLoss
{
    public double Scale { get; } = scale;
    public SimilarityFunction Similarity { get; } = similarity;
    public override string Name => "mnrl";

    public override Tensor Forward(Tensor anchors, Tensor positives, IReadOnlyList<Tensor> negativeColumns)
    {
        using var scope = NewDisposeScope();
        var candidates = negativeColumns.Count == 0 ? positives : cat([positives, .. negativeColumns], 0);
        var scores = Training.Similarity.Matrix(Similarity, anchors, candidates) * Scale;
        var labels = arange(anchors.shape[0], dtype: ScalarType.Int64, device: anchors.device);
        return nn.functional.cross_entropy(scores, labels).MoveToOuterDisposeScope();
    }
}
