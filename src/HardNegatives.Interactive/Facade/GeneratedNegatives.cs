using HardNegatives.Generation;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Negatives;

namespace HardNegatives.Interactive.Facade;

/// <summary>
/// LLM-written negatives for a dataset's training pairs: the triples (the one format every source shares, source
/// <c>llm:&lt;model&gt;</c>), the generator's summary and the triples file. The counterpart of <see cref="MinedNegatives"/>;
/// displays as the summary (wall-clock time left out, so committed notebooks stay deterministic) plus the first rows side by side.
/// </summary>
public sealed record GeneratedNegatives(string Dataset, string Model, GenerationSummary Summary, IReadOnlyList<Triple> Triples, string TriplesPath) : INegativesFile
{
    /// <summary>The triples' source: <c>llm:&lt;model&gt;</c>.</summary>
    public string Source => "llm:" + Model;

    /// <summary>The summary as (what, count) rows: items, cache, failures, filters and retries by kind.</summary>
    public IReadOnlyList<(string What, long Count)> SummaryRows() =>
    [
        ("items", Summary.Items), ("  from cache (not requested again)", Summary.FromCache), ("  generated now", Summary.Generated),
        ("  failed (retried next run)", Summary.Failed), ("  fewer negatives than asked", Summary.Short), ("requests sent now", Summary.Requests),
        .. Summary.Retries.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => ($"  retried after {r.Key}", (long)r.Value)),
        ("passages generated", Summary.Candidates), ("  kept", Summary.Kept),
        .. Summary.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => ($"  rejected: {r.Key}", (long)r.Value)),
        ("tokens in", Summary.InputTokens), ("tokens out", Summary.OutputTokens),
    ];

    public string ToHtml() =>
        Html.Wrap($"<h4>{Html.Encode(Source)} negatives · {Html.Encode(Dataset)} · {Triples.Count:N0} triples</h4>"
            + Html.Table("generation summary", ["", "count"], SummaryRows().Select(r => (IReadOnlyList<object?>)[r.What, r.Count]))
            + (Summary.Failed > 0 ? $"<p>{Html.Encode(Summary.FailureLine)}</p>" : "")
            + string.Concat(Triples.Take(MinedNegatives.RowsShown).Select(TripleHtml.Render)));

    public override string ToString() =>
        $"{Source} negatives for {Dataset}: {Triples.Count} triples → {Path.GetFileName(TriplesPath)}\n"
        + string.Join("\n", SummaryRows().Select(r => $"{r.What,-36} {r.Count,8:N0}")) + (Summary.Failed > 0 ? "\n" + Summary.FailureLine : "");
}
