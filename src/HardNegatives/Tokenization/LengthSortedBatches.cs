namespace HardNegatives.Tokenization;

/// <summary>A batch cut from a larger list: <see cref="Indices"/>[i] is the position in the original list of row i of <see cref="Batch"/>.</summary>
public sealed record IndexedTokenBatch(int[] Indices, TokenBatch Batch);

/// <summary>
/// Length-sorted batching: encode everything, sort by token count (longest first, ties by position, so the order is
/// deterministic), and cut into batches, so each batch pads to a similar length and little compute is spent on padding.
/// The caller scatters results back through <see cref="IndexedTokenBatch.Indices"/>.
/// </summary>
public static class LengthSortedBatches
{
    /// <summary>Batches of single texts.</summary>
    public static IEnumerable<IndexedTokenBatch> Singles(BertTokenizer tokenizer, IReadOnlyList<string> texts, int batchSize, int maxLength = 512)
    {
        var ids = new int[texts.Count][];
        Parallel.For(0, texts.Count, i => ids[i] = tokenizer.Encode(texts[i], maxLength));
        return Cut(ids, [.. ids.Select(r => new int[r.Length])], batchSize, tokenizer.PadId);
    }

    /// <summary>Batches of text pairs (cross-encoder input).</summary>
    public static IEnumerable<IndexedTokenBatch> Pairs(BertTokenizer tokenizer, IReadOnlyList<string> first, IReadOnlyList<string> second, int batchSize, int maxLength = 512)
    {
        if (first.Count != second.Count) throw new ArgumentException($"{first.Count} first texts but {second.Count} second texts");
        var ids = new int[first.Count][];
        var types = new int[first.Count][];
        Parallel.For(0, first.Count, i => (ids[i], types[i]) = tokenizer.EncodePair(first[i], second[i], maxLength));
        return Cut(ids, types, batchSize, tokenizer.PadId);
    }

    /// <summary>The order in which rows are batched: longest first, stable.</summary>
    public static int[] Order(IReadOnlyList<int> lengths) =>
        [.. Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i)];

    static IEnumerable<IndexedTokenBatch> Cut(int[][] ids, int[][] types, int batchSize, int padId)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be at least 1");
        var order = Order([.. ids.Select(r => r.Length)]);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            var indices = order[start..Math.Min(order.Length, start + batchSize)];
            yield return new IndexedTokenBatch(indices, TokenBatch.Pad([.. indices.Select(i => ids[i])], [.. indices.Select(i => types[i])], padId));
        }
    }
}
