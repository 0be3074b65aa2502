namespace HardNegatives.Negatives;

/// <summary>One negative passage for a query, from whatever source, with the score that chose it (null when none).</summary>
public sealed record Negative(string Id, string Text, double? Score = null, int? Rank = null);

/// <summary>
/// One training row in the kit's shared triples format: a query, one positive, and its hard negatives.
/// The same record is written by BM25 and cross-encoder mining and by LLM generation, and read by training.
/// </summary>
/// <param name="Source">Where the negatives came from: <c>random</c>, <c>bm25</c>, <c>ce</c>, <c>llm:&lt;model&gt;</c>.</param>
/// <param name="Options">The options that produced the negatives (window, sampling, seed, template…), for provenance.</param>
public sealed record Triple(
    string QueryId,
    string Query,
    string PositiveId,
    string Positive,
    IReadOnlyList<Negative> Negatives,
    string Source,
    IReadOnlyDictionary<string, string>? Options = null,
    double? PositiveScore = null);
