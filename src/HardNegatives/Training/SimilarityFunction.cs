using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>How an anchor is scored against a candidate (sentence-transformers' <c>util.cos_sim</c> / <c>util.dot_score</c>).</summary>
public enum SimilarityFunction
{
    /// <summary>Cosine similarity: dot product of L2-normalised embeddings (sentence-transformers' default for MNRL).</summary>
    Cosine,
    /// <summary>Plain dot product.</summary>
    Dot,
}

/// <summary>Pairwise score matrices for <see cref="SimilarityFunction"/>.</summary>
public static class Similarity
{
    /// <summary>Scores <c>[A, C]</c> of every row of <paramref name="a"/> <c>[A,H]</c> against every row of <paramref name="b"/> <c>[C,H]</c>.</summary>
    public static Tensor Matrix(SimilarityFunction function, Tensor a, Tensor b) => function switch
    {
        // util.cos_sim normalises with eps 1e-12 (torch.nn.functional.normalize's default), then matmuls.
        SimilarityFunction.Cosine => nn.functional.normalize(a, p: 2, dim: 1).matmul(nn.functional.normalize(b, p: 2, dim: 1).t()),
        SimilarityFunction.Dot => a.matmul(b.t()),
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    /// <summary>Row-wise scores <c>[B]</c> of <paramref name="a"/>[i] against <paramref name="b"/>[i].</summary>
    public static Tensor Pairwise(SimilarityFunction function, Tensor a, Tensor b) => function switch
    {
        SimilarityFunction.Cosine => (nn.functional.normalize(a, p: 2, dim: 1) * nn.functional.normalize(b, p: 2, dim: 1)).sum(1),
        SimilarityFunction.Dot => (a * b).sum(1),
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };
}
