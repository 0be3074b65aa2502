namespace HardNegatives.Mining;

/// <summary>
/// The scorer-agnostic heart of hard-negative mining, with sentence-transformers' <c>mine_hard_negatives</c> semantics.
/// Any miner (BM25, cross-encoder rescoring, dense) retrieves and scores candidates its own way and hands them here
/// with the positives' scores from the same scorer; the rules below are then the same for every source.
/// </summary>
/// <remarks>
/// For one query, in this order:
/// <list type="number">
/// <item>every known positive is removed (all of the query's positives, merged across duplicate queries by the caller);</item>
/// <item>absolute margin: drop when <c>score + margin &gt; p</c>, p = the lowest positive score;</item>
/// <item>relative margin: drop when <c>score &gt; p − |p|·margin</c>;</item>
/// <item><c>max_score</c>: drop when <c>score &gt; max</c>; <c>min_score</c>: drop when <c>score &lt; min</c>;</item>
/// <item>the rest is ordered by score (descending; equal scores keep the caller's order) and the window
///   <c>[RangeMin, RangeMax)</c> is taken from it, so the window counts eligible candidates only, as in sentence-transformers;</item>
/// <item>top: the first <c>NumNegatives</c> of the window; random: a uniform sample of <c>NumNegatives</c> from the window,
///   seeded by (seed, query id), then sorted by score.</item>
/// </list>
/// A candidate removed by one rule is not counted again by a later one. Margins need positive scores: with none given
/// (positives missing from the corpus) the margin rules are not applied to that query.
/// Example:
/// <code>
/// var options = new HardNegativeMiningOptions(NumNegatives: 5, RangeMin: 10, RangeMax: 100, RelativeMargin: 0.05);
/// var selection = HardNegativeSelector.Select("q1", positives, rankedCandidates, options);
/// </code>
/// </remarks>
public static class HardNegativeSelector
{
    /// <param name="positives">The query's positives with their scores from the same scorer as the candidates.</param>
    /// <param name="candidates">Scored candidates, best first (order breaks score ties).</param>
    /// <param name="maxPositives">The most positives any query of the run has (sets the default window end); default the count of <paramref name="positives"/>.</param>
    public static NegativeSelection Select(string queryId, IReadOnlyCollection<ScoredCandidate> positives,
        IReadOnlyList<ScoredCandidate> candidates, HardNegativeMiningOptions options, int? maxPositives = null)
    {
        int rangeMax = options.EffectiveRangeMax(maxPositives ?? Math.Max(1, positives.Count));
        var positiveIds = positives.Select(p => p.DocumentId).ToHashSet(StringComparer.Ordinal);
        double? lowest = positives.Count == 0 ? null : positives.Min(p => p.Score);
        double? relativeThreshold = lowest is { } lp && options.RelativeMargin is { } rm ? lp - Math.Abs(lp) * rm : null;

        long skipPositive = 0, skipAbsolute = 0, skipRelative = 0, skipMax = 0, skipMin = 0;
        var eligible = new List<(ScoredCandidate Candidate, int Order)>(candidates.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (!seen.Add(c.DocumentId)) continue; // a scorer that proposes a document twice must not make it two negatives
            if (positiveIds.Contains(c.DocumentId)) { skipPositive++; continue; }
            if (lowest is { } p && options.AbsoluteMargin is { } am && c.Score + am > p) { skipAbsolute++; continue; }
            if (relativeThreshold is { } rt && c.Score > rt) { skipRelative++; continue; }
            if (options.MaxScore is { } max && c.Score > max) { skipMax++; continue; }
            if (options.MinScore is { } min && c.Score < min) { skipMin++; continue; }
            eligible.Add((c, i));
        }
        // Stable: by score descending, then the caller's order.
        eligible.Sort((a, b) => b.Candidate.Score.CompareTo(a.Candidate.Score) is var s && s != 0 ? s : a.Order.CompareTo(b.Order));

        int windowEnd = Math.Min(rangeMax, eligible.Count);
        int windowSize = Math.Max(0, windowEnd - options.RangeMin);
        var window = windowSize == 0 ? [] : eligible.GetRange(options.RangeMin, windowSize);
        List<(ScoredCandidate Candidate, int Order)> chosen;
        if (options.Sampling == NegativeSampling.Top || window.Count <= options.NumNegatives)
            chosen = window.Take(options.NumNegatives).ToList();
        else
        {
            var rng = new Random(QuerySeed(options.Seed, queryId));
            var picks = Enumerable.Range(0, window.Count).ToArray();
            for (int i = 0; i < options.NumNegatives; i++) // partial Fisher–Yates
            {
                int j = rng.Next(i, picks.Length);
                (picks[i], picks[j]) = (picks[j], picks[i]);
            }
            chosen = picks.Take(options.NumNegatives).Order().Select(i => window[i]).ToList(); // window order = score order
        }
        return new NegativeSelection(queryId, chosen.Select(c => c.Candidate).ToList(), lowest,
            new SkipCounts(skipPositive, skipAbsolute, skipRelative, skipMax, skipMin),
            candidates.Count, eligible.Count, windowSize, options.NumNegatives - chosen.Count);
    }

    /// <summary>Per-query seed: FNV-1a of the query id mixed with the run seed, stable across runs, platforms and .NET versions.</summary>
    internal static int QuerySeed(int seed, string queryId)
    {
        uint h = 2166136261;
        foreach (var ch in queryId) { h ^= ch; h *= 16777619; }
        return (int)(h ^ (uint)seed * 2654435761u) & int.MaxValue;
    }
}
