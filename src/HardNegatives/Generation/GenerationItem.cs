using HardNegatives.Data;

namespace HardNegatives.Generation;

/// <summary>One request unit: a query and one of its positives. A query with two positives makes two items.</summary>
public sealed record GenerationItem(string QueryId, string Query, string PositiveId, string Positive)
{
    /// <summary>One item per (query, positive) of the training pairs; the positive text is title and text joined (<see cref="Document.FullText"/>).</summary>
    public static IEnumerable<GenerationItem> From(IEnumerable<TrainingPair> pairs) =>
        pairs.SelectMany(p => p.Positives.Select(d => new GenerationItem(p.QueryId, p.QueryText, d.Id, d.FullText)));
}
