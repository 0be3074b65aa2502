using System.Globalization;

namespace HardNegatives.Mining;

/// <summary>How negatives are taken from the rank window.</summary>
public enum NegativeSampling
{
    /// <summary>The highest-scored candidates of the window.</summary>
    Top,
    /// <summary>A seeded uniform sample of the window (then re-sorted by score, as sentence-transformers does).</summary>
    Random,
}

/// <summary>
/// Hard-negative mining options, with the meaning of sentence-transformers' <c>mine_hard_negatives</c>.
/// Whatever scores the candidates (BM25 here, a cross-encoder elsewhere), the same rules apply in
/// <see cref="HardNegativeSelector"/>.
/// </summary>
/// <param name="NumNegatives">Negatives wanted per query; default 3 (sentence-transformers' default). At least 1.</param>
/// <param name="RangeMin">First rank (0-based) of the window, counted among the candidates left after positives and
/// filtered ones are removed; default 0. Skip the very top to avoid unlabelled positives.</param>
/// <param name="RangeMax">End (exclusive) of the window; default null = sentence-transformers' rule:
/// <c>RangeMin + NumNegatives + maxPositives</c>, or <c>RangeMin + 10·NumNegatives + maxPositives</c> when a score filter is set.</param>
/// <param name="Sampling"><see cref="NegativeSampling.Top"/> (default) or <see cref="NegativeSampling.Random"/>.</param>
/// <param name="Seed">Seed of random sampling; each query's sample depends only on the seed and the query id, never on
/// batching or threads; default 42.</param>
/// <param name="MaxScore">Drop candidates scoring above this (likely unlabelled positives); default none.</param>
/// <param name="MinScore">Drop candidates scoring below this (too easy); default none.</param>
/// <param name="AbsoluteMargin">Drop a candidate when <c>score + margin &gt; lowest positive score</c>; 0 forces every negative
/// to score below all positives; default none.</param>
/// <param name="RelativeMargin">Drop a candidate when <c>score &gt; p − |p|·margin</c>, p = the query's lowest positive score
/// (sentence-transformers ≥ 5: sign-safe); 0.05 = NV-Retriever's TopK-PercPos 95%; default none.</param>
/// <remarks>Defaults: <see cref="MiningDefaults"/>, shared with the CLI and experiment specs.</remarks>
public sealed record HardNegativeMiningOptions(
    int NumNegatives = MiningDefaults.NumNegatives,
    int RangeMin = MiningDefaults.RangeMin,
    int? RangeMax = null,
    NegativeSampling Sampling = MiningDefaults.Sampling,
    int Seed = MiningDefaults.Seed,
    double? MaxScore = null,
    double? MinScore = null,
    double? AbsoluteMargin = null,
    double? RelativeMargin = null)
{
    /// <summary>True when a score rule can remove candidates (so the default window is made wider).</summary>
    public bool HasScoreFilter => MaxScore is not null || MinScore is not null || AbsoluteMargin is not null || RelativeMargin is not null;

    /// <summary>The window end for a dataset whose queries have at most <paramref name="maxPositives"/> positives.</summary>
    public int EffectiveRangeMax(int maxPositives) =>
        RangeMax ?? RangeMin + (HasScoreFilter ? 10 * NumNegatives : NumNegatives) + maxPositives;

    /// <summary>How many candidates to retrieve per query: the window end plus room for the positives (as sentence-transformers).</summary>
    public int CandidateDepth(int maxPositives) => EffectiveRangeMax(maxPositives) + maxPositives;

    /// <summary>Throws <see cref="OptionsValidationException"/> naming the property and the remedy when the options cannot work together.</summary>
    public void Validate(int maxPositives = 1)
    {
        if (NumNegatives < 1) throw new OptionsValidationException($"{nameof(HardNegativeMiningOptions)}.{nameof(NumNegatives)}", $"must be at least 1 (got {NumNegatives})");
        if (RangeMin < 0) throw new OptionsValidationException($"{nameof(HardNegativeMiningOptions)}.{nameof(RangeMin)}", $"must be non-negative (got {RangeMin})");
        int max = EffectiveRangeMax(maxPositives);
        if (RangeMin >= max) throw new OptionsValidationException($"{nameof(HardNegativeMiningOptions)}.{nameof(RangeMin)}", $"must be smaller than RangeMax (got {RangeMin}:{max})");
        if (NumNegatives > max - RangeMin)
            throw new OptionsValidationException($"{nameof(HardNegativeMiningOptions)}.{nameof(NumNegatives)}",
                $"is {NumNegatives}, more than the window {RangeMin}:{max} holds ({max - RangeMin} candidates); lower it or widen RangeMin/RangeMax");
        if (AbsoluteMargin is < 0) throw new OptionsValidationException($"{nameof(HardNegativeMiningOptions)}.{nameof(AbsoluteMargin)}", $"must be non-negative (got {AbsoluteMargin?.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        if (RelativeMargin is < 0 or > 1) throw new OptionsValidationException($"{nameof(HardNegativeMiningOptions)}.{nameof(RelativeMargin)}", $"must be in [0, 1] (got {RelativeMargin?.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
    }

    /// <summary>The options as text, recorded with every mined row (provenance).</summary>
    public IReadOnlyDictionary<string, string> Describe(int maxPositives)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["num_negatives"] = NumNegatives.ToString(CultureInfo.InvariantCulture),
            ["range"] = $"{RangeMin}:{EffectiveRangeMax(maxPositives)}",
            ["sampling"] = Sampling.ToString().ToLowerInvariant(),
        };
        if (Sampling == NegativeSampling.Random) d["seed"] = Seed.ToString(CultureInfo.InvariantCulture);
        if (MaxScore is { } ms) d["max_score"] = ms.ToString("R", CultureInfo.InvariantCulture);
        if (MinScore is { } mn) d["min_score"] = mn.ToString("R", CultureInfo.InvariantCulture);
        if (AbsoluteMargin is { } am) d["absolute_margin"] = am.ToString("R", CultureInfo.InvariantCulture);
        if (RelativeMargin is { } rm) d["relative_margin"] = rm.ToString("R", CultureInfo.InvariantCulture);
        return d;
    }
}
