namespace HardNegatives.Training;

/// <summary>
/// One batch of training rows as text columns, the shape sentence-transformers feeds its losses:
/// <c>Queries[i]</c>, <c>Positives[i]</c> and <c>NegativeColumns[k][i]</c> (the k-th hard negative of row i).
/// </summary>
public sealed record TrainingBatch(IReadOnlyList<string> Queries, IReadOnlyList<string> Positives, IReadOnlyList<IReadOnlyList<string>> NegativeColumns)
{
    public int Count => Queries.Count;

    /// <summary>Rows <paramref name="start"/>..start+count of every column.</summary>
    public TrainingBatch Slice(int start, int count) => new(
        Queries.Skip(start).Take(count).ToList(),
        Positives.Skip(start).Take(count).ToList(),
        NegativeColumns.Select(c => (IReadOnlyList<string>)c.Skip(start).Take(count).ToList()).ToList());

    /// <summary>All columns in the order losses see them: queries, positives, then each negative column.</summary>
    public IEnumerable<IReadOnlyList<string>> Columns()
    {
        yield return Queries;
        yield return Positives;
        foreach (var c in NegativeColumns) yield return c;
    }
}
