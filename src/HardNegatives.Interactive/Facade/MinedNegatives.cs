using HardNegatives.Interactive.Formatting;
using HardNegatives.Mining;
using HardNegatives.Negatives;

namespace HardNegatives.Interactive.Facade;

/// <summary>
/// Negatives mined for a dataset's training queries: the triples (one format, whatever the source), the miner's summary
/// and the triples file. Displays as the summary plus the first rows side by side.
/// </summary>
public sealed record MinedNegatives(string Dataset, string Source, MiningSummary Summary, IReadOnlyList<Triple> Triples, string TriplesPath) : INegativesFile
{
    /// <summary>How many triples the rich display shows side by side.</summary>
    public static int RowsShown { get; set; } = 1;

    public string ToHtml() =>
        Html.Wrap($"<h4>{Html.Encode(Source)} negatives · {Html.Encode(Dataset)} · {Triples.Count:N0} triples</h4>"
            + KitResultsHtml.Render(Summary) + string.Concat(Triples.Take(RowsShown).Select(TripleHtml.Render)));

    public override string ToString() => $"{Source} negatives for {Dataset}: {Triples.Count} triples → {Path.GetFileName(TriplesPath)}\n{Summary.Format()}";
}
