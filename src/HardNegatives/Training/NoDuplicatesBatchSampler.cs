namespace HardNegatives.Training;

/// <summary>
/// Groups training rows into batches in which no text occurs twice, as sentence-transformers' <c>NoDuplicatesBatchSampler</c>:
/// a repeated query, positive or negative in one batch would be scored as an in-batch negative of itself.
/// </summary>
/// <remarks>
/// Each epoch walks a seeded permutation of the rows; a row joins the current batch unless one of its texts is already in
/// it, in which case it waits for a later batch. When a pass over the waiting rows cannot fill a batch, the partial batch
/// is kept (or dropped with <c>dropLast</c>), exactly as the reference does. The batches of an epoch are a pure function of
/// (rows, batch size, seed, epoch): a resumed run recomputes them instead of storing sampler state.
/// </remarks>
public sealed class NoDuplicatesBatchSampler
{
    readonly IReadOnlyList<IReadOnlyList<string>> _rowTexts;

    /// <param name="rowTexts">Every text of each row (query, positive, negatives); compared by ordinal equality.</param>
    public NoDuplicatesBatchSampler(IReadOnlyList<IReadOnlyList<string>> rowTexts, int batchSize, ulong seed, bool dropLast = false)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        _rowTexts = rowTexts;
        BatchSize = batchSize;
        Seed = seed;
        DropLast = dropLast;
    }

    public int BatchSize { get; }
    public ulong Seed { get; }
    public bool DropLast { get; }

    /// <summary>The batches (row indices) of <paramref name="epoch"/>.</summary>
    public IReadOnlyList<int[]> Batches(int epoch)
    {
        var remaining = new LinkedList<int>(new SplitMix64(Seed + (ulong)epoch * 0x9E3779B97F4A7C15UL).Permutation(_rowTexts.Count));
        var batches = new List<int[]>();
        while (remaining.Count > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var batch = new List<LinkedListNode<int>>();
            bool full = false;
            for (var node = remaining.First; node is not null; node = node.Next)
            {
                var texts = _rowTexts[node.Value];
                if (texts.Any(seen.Contains)) continue;
                batch.Add(node);
                if (batch.Count == BatchSize) { full = true; break; }
                // The reference adds a row's texts only after the size check; the last row's texts never matter.
                foreach (var t in texts) seen.Add(t);
            }
            if (full || !DropLast) batches.Add(batch.Select(n => n.Value).ToArray());
            foreach (var n in batch) remaining.Remove(n);
        }
        return batches;
    }
}
