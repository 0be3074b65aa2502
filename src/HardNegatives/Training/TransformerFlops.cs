namespace HardNegatives.Training;

/// <summary>
/// Floating-point operations of a BERT-style encoder, counted the usual way (Kaplan et al. 2020; Narayanan et al. 2021):
/// only matrix multiplies, a multiply-add counted as 2, backward as twice the forward. Embeddings, layer norms, softmax and
/// the loss are left out (under 1% at DistilBERT-base shape), so achieved/peak ratios are slightly conservative.
/// </summary>
public static class TransformerFlops
{
    /// <summary>Forward FLOPs of one sequence of <paramref name="tokens"/> tokens.</summary>
    public static double Forward(int layers, int dim, int hidden, int tokens)
    {
        double t = tokens, d = dim, f = hidden;
        double projections = 2 * t * 4 * d * d;   // Q, K, V, output
        double feedForward = 2 * t * 2 * d * f;   // two linear layers
        double attention = 2 * 2 * t * t * d;     // QKᵀ and attention·V over all heads
        return layers * (projections + feedForward + attention);
    }

    /// <summary>Forward plus backward FLOPs of a training step over <paramref name="sequences"/> sequences.</summary>
    public static double TrainingStep(int layers, int dim, int hidden, int tokens, int sequences) =>
        3 * sequences * Forward(layers, dim, hidden, tokens);
}
