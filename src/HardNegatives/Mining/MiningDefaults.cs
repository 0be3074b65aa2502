namespace HardNegatives.Mining;

/// <summary>
/// The one set of hard-negative mining defaults. The library's <see cref="HardNegativeMiningOptions"/> and
/// <see cref="CrossEncoderMiningOptions"/>, the CLI's <c>hn mine</c> options and the experiment spec's source fields
/// (<c>num_negatives</c>, <c>range_min</c>, <c>range_max</c>, <c>sampling</c>, <c>candidates</c>) all take their defaults from
/// here, so the same words mean the same numbers everywhere. Each value says where it comes from.
/// </summary>
public static class MiningDefaults
{
    /// <summary>3 negatives per query: sentence-transformers' <c>mine_hard_negatives(num_negatives=3)</c>. The paper trains
    /// with one hard negative per row; its specs say <c>"num_negatives": 1</c> explicitly.</summary>
    public const int NumNegatives = 3;

    /// <summary>Window start 0 (the best remaining candidate): sentence-transformers' <c>range_min=0</c>.</summary>
    public const int RangeMin = 0;

    /// <summary>Window end: none, i.e. sentence-transformers' rule <c>range_min + num_negatives + max_positives</c> (×10 with a
    /// score filter), see <see cref="HardNegativeMiningOptions.EffectiveRangeMax"/>.</summary>
    public static readonly int? RangeMax = null;

    /// <summary>Take the best of the window (sentence-transformers' <c>sampling_strategy="top"</c>).</summary>
    public const NegativeSampling Sampling = NegativeSampling.Top;

    /// <summary>Seed of random sampling: 42, the kit's seed for everything that is not a training seed.</summary>
    public const int Seed = 42;

    /// <summary>Candidates a cross-encoder rescores per query: 100, BM25's top 100 (NV-Retriever and the paper rerank a top-100).</summary>
    public const int Candidates = 100;
}
