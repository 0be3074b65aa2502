using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>Progress of <see cref="EmbeddingInference.EncodeAll"/>: texts embedded so far out of the total.</summary>
public sealed record EncodingProgress(int Done, int Total);

/// <summary>
/// Embeds many texts with a (trained) <see cref="IEmbeddingModel"/> for retrieval: eval mode (no dropout), no autograd,
/// batches of similar length (longest first, so padding is small and the peak memory shows up at once), rows returned
/// in input order.
/// </summary>
public static class EmbeddingInference
{
    /// <summary>A float32 CPU tensor <c>[texts.Count, H]</c>; the caller disposes it.</summary>
    public static Tensor EncodeAll(IEmbeddingModel model, IReadOnlyList<string> texts, int batchSize = 64,
        IProgress<EncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        if (texts.Count == 0) throw new ArgumentException("nothing to encode: the list of texts is empty");
        bool wasTraining = model.Module.training;
        model.Module.eval();
        try
        {
            // Character length orders texts by token count well enough to keep padding small; the order is deterministic.
            var order = Enumerable.Range(0, texts.Count).OrderByDescending(i => texts[i].Length).ThenBy(i => i).ToArray();
            Tensor? result = null;
            using var _ = no_grad();
            for (int start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var idx = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
                var embeddings = model.Encode(idx.Select(i => texts[i]).ToList()).to(float32).cpu();
                result ??= zeros(texts.Count, embeddings.shape[1], dtype: float32).DetachFromDisposeScope();
                result.index_copy_(0, tensor(idx.Select(i => (long)i).ToArray()), embeddings);
                progress?.Report(new EncodingProgress(start + idx.Length, texts.Count));
            }
            return result!;
        }
        finally
        {
            model.Module.train(wasTraining);
        }
    }
}
