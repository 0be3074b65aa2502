using System.Text;
using System.Text.RegularExpressions;

namespace HardNegatives.Interactive.Formatting;

/// <summary>
/// Marks the words of a passage that also occur in the query (case-insensitive, letters and digits only,
/// common English function words ignored): the lexical overlap that makes a BM25 negative "hard".
/// </summary>
public static partial class WordOverlap
{
    // A short function-word list, so highlights show content overlap rather than "the" and "of".
    static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of",
        "on", "or", "that", "the", "this", "to", "was", "were", "which", "with", "what", "how", "does", "do", "not",
    };

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>The distinct content words of <paramref name="text"/>, lower-cased.</summary>
    public static HashSet<string> ContentWords(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => !StopWords.Contains(w)).ToHashSet(StringComparer.Ordinal);

    /// <summary>How many of the query's content words occur in the passage.</summary>
    public static int SharedWordCount(string query, string passage)
    {
        var q = ContentWords(query);
        q.IntersectWith(ContentWords(passage));
        return q.Count;
    }

    /// <summary>HTML-encoded <paramref name="passage"/> with the query's content words wrapped in <c>&lt;mark&gt;</c>.</summary>
    public static string Highlight(string passage, string query)
    {
        var queryWords = ContentWords(query);
        var sb = new StringBuilder();
        int last = 0;
        foreach (Match m in Word().Matches(passage))
        {
            if (!queryWords.Contains(m.Value.ToLowerInvariant())) continue;
            sb.Append(Html.Encode(passage[last..m.Index])).Append("<mark>").Append(Html.Encode(m.Value)).Append("</mark>");
            last = m.Index + m.Length;
        }
        return sb.Append(Html.Encode(passage[last..])).ToString();
    }
}
