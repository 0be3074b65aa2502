using System.Text.RegularExpressions;

namespace HardNegatives.Generation;

/// <summary>Why a generated passage was not kept. The names are the rows of the summary table.</summary>
public enum RejectionReason
{
    Empty,
    TooShort,
    TooLong,
    CopyOfPositive,
    CopyOfQuery,
    RefusalOrMeta,
    Duplicate,
}

/// <summary>Thresholds of the <see cref="QualityFilter"/>; the defaults are the kit's, chosen to reject only clear failures.</summary>
/// <param name="MinLengthRatio">Reject a passage with fewer than this fraction of the positive's words (default 0.25).</param>
/// <param name="MaxLengthRatio">Reject a passage with more than this multiple of the positive's words (default 4.0).</param>
/// <param name="MinWords">Reject a passage of fewer words than this whatever the positive's length (default 5).</param>
/// <param name="CopyJaccard">Token-set Jaccard (lowercased word tokens) at or above which a passage counts as a copy of the positive or the query (default 0.8).</param>
/// <param name="DuplicateJaccard">Jaccard at or above which a passage duplicates one already kept for the same query (default 0.8).</param>
public sealed record QualityFilterOptions(
    double MinLengthRatio = 0.25,
    double MaxLengthRatio = 4.0,
    int MinWords = 5,
    double CopyJaccard = 0.8,
    double DuplicateJaccard = 0.8);

/// <summary>
/// Checks one generated negative against its query, its positive and the negatives already kept for that pair.
/// Checks run in a fixed order (empty, length, copy of positive, copy of query, refusal/meta, duplicate) and the first
/// failing one is the reason counted.
/// </summary>
public sealed partial class QualityFilter(QualityFilterOptions options)
{
    public QualityFilterOptions Options { get; } = options;

    /// <summary>Null when the passage is kept, else the first reason it is not.</summary>
    public RejectionReason? Check(string passage, string query, string positive, IEnumerable<string> kept)
    {
        if (string.IsNullOrWhiteSpace(passage)) return RejectionReason.Empty;
        var words = Words(passage);
        var positiveWords = Words(positive);
        if (words.Count < Options.MinWords || words.Count < Options.MinLengthRatio * positiveWords.Count) return RejectionReason.TooShort;
        if (positiveWords.Count > 0 && words.Count > Options.MaxLengthRatio * positiveWords.Count) return RejectionReason.TooLong;
        var set = words.ToHashSet(StringComparer.Ordinal);
        if (Jaccard(set, positiveWords.ToHashSet(StringComparer.Ordinal)) >= Options.CopyJaccard) return RejectionReason.CopyOfPositive;
        if (Jaccard(set, Words(query).ToHashSet(StringComparer.Ordinal)) >= Options.CopyJaccard) return RejectionReason.CopyOfQuery;
        if (IsRefusalOrMeta(passage)) return RejectionReason.RefusalOrMeta;
        foreach (var other in kept)
            if (Jaccard(set, Words(other).ToHashSet(StringComparer.Ordinal)) >= Options.DuplicateJaccard) return RejectionReason.Duplicate;
        return null;
    }

    /// <summary>Lowercased word tokens: maximal runs of letters and digits.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();

    /// <summary>|A ∩ B| / |A ∪ B|; 0 when both are empty.</summary>
    public static double Jaccard(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 && b.Count == 0) return 0;
        var intersection = a.Count <= b.Count ? a.Count(b.Contains) : b.Count(a.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    /// <summary>Text about the task rather than a passage: refusals, assistant chatter, announcements of what follows.</summary>
    public static bool IsRefusalOrMeta(string passage) => MetaAnywhere().IsMatch(passage) || MetaAtStart().IsMatch(passage.TrimStart());

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\b(as an ai\b|as a language model|an ai language model|i cannot\b|i can't\b|i can not\b|i'm sorry\b|i am sorry\b|i apologi[sz]e|i'm unable|i am unable|i won't be able|hard negative|the query\b|the relevant passage)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaAnywhere();

    [GeneratedRegex(@"^(sure\b|certainly\b|of course\b|okay\b|ok\b|absolutely\b|here is\b|here are\b|here's\b|below (is|are)\b|note:|passage \d*\s*:)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaAtStart();
}
