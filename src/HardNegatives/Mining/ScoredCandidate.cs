namespace HardNegatives.Mining;

/// <summary>
/// A document scored for a query by any scorer (BM25, cross-encoder, dense): the unit the miner works on.
/// </summary>
/// <param name="DocumentId">Corpus id.</param>
/// <param name="Score">Higher = more similar to the query. Filters compare this to the positives' scores from the same scorer.</param>
/// <param name="Rank">1-based rank in the first-stage retrieval that proposed the document (kept for provenance); 0 when unknown.</param>
public sealed record ScoredCandidate(string DocumentId, double Score, int Rank = 0);

/// <summary>How many candidates of one query (or of a whole run) each rule removed, counted once, by the first rule that removed it.</summary>
public sealed record SkipCounts(long Positives = 0, long AbsoluteMargin = 0, long RelativeMargin = 0, long MaxScore = 0, long MinScore = 0)
{
    public static SkipCounts operator +(SkipCounts a, SkipCounts b) =>
        new(a.Positives + b.Positives, a.AbsoluteMargin + b.AbsoluteMargin, a.RelativeMargin + b.RelativeMargin, a.MaxScore + b.MaxScore, a.MinScore + b.MinScore);
}

/// <summary>
/// What <see cref="HardNegativeSelector.Select"/> chose for one query.
/// </summary>
/// <param name="Negatives">Chosen negatives, best score first.</param>
/// <param name="Candidates">Candidates offered.</param>
/// <param name="Eligible">Candidates left after removing positives and filtered ones (before the window).</param>
/// <param name="WindowSize">Candidates inside <c>[RangeMin, RangeMax)</c> of the eligible ones.</param>
/// <param name="Shortfall">Negatives wanted but not found (0 when complete); never padded.</param>
public sealed record NegativeSelection(
    string QueryId,
    IReadOnlyList<ScoredCandidate> Negatives,
    double? LowestPositiveScore,
    SkipCounts Skipped,
    int Candidates,
    int Eligible,
    int WindowSize,
    int Shortfall);
