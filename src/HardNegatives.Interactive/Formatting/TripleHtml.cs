using System.Globalization;
using System.Text;
using HardNegatives.Negatives;

namespace HardNegatives.Interactive.Formatting;

/// <summary>
/// A training <see cref="Triple"/> as a person wants to inspect it: the query on top, then the positive and each
/// negative side by side with their scores, and the words they share with the query highlighted.
/// </summary>
public static class TripleHtml
{
    /// <summary>Passages longer than this many characters are cut (with "…") so a row of cards stays readable.</summary>
    public static int MaxPassageChars { get; set; } = 600;

    public static string Render(Triple triple)
    {
        var sb = new StringBuilder();
        int queryWords = WordOverlap.ContentWords(triple.Query).Count;
        sb.Append("<div><b>query</b> <span class=\"hn-muted\">").Append(Html.Encode(triple.QueryId)).Append(" · source ")
          .Append(Html.Encode(triple.Source)).Append("</span><br>").Append(Html.Encode(triple.Query)).Append("</div>");
        sb.Append("<div class=\"hn-cols\">");
        Card(sb, "hn-pos", "positive", triple.PositiveId, triple.Positive, triple.PositiveScore, null, triple.Query, queryWords);
        for (int i = 0; i < triple.Negatives.Count; i++)
        {
            var n = triple.Negatives[i];
            Card(sb, "hn-neg", $"negative {i + 1}", n.Id, n.Text, n.Score, n.Rank, triple.Query, queryWords);
        }
        sb.Append("</div>");
        if (triple.Options is { Count: > 0 } options)
            sb.Append("<div class=\"hn-muted\">").Append(Html.Encode(string.Join(" · ", options.Select(kv => $"{kv.Key}={kv.Value}")))).Append("</div>");
        return Html.Wrap(sb.ToString());
    }

    /// <summary>Several triples one after another (e.g. the first rows of a triples file).</summary>
    public static string Render(IEnumerable<Triple> triples) =>
        string.Join("<hr>", triples.Select(Render));

    static void Card(StringBuilder sb, string cssClass, string label, string id, string text, double? score, int? rank, string query, int queryWords)
    {
        var shown = text.Length > MaxPassageChars ? text[..MaxPassageChars] + "…" : text;
        sb.Append("<div class=\"hn-card ").Append(cssClass).Append("\"><h4>").Append(Html.Encode(label)).Append(" <span class=\"hn-muted\">")
          .Append(Html.Encode(id));
        if (score is { } s) sb.Append(" · score ").Append(s.ToString("0.###", CultureInfo.InvariantCulture));
        if (rank is { } r) sb.Append(" · rank ").Append(r);
        sb.Append(" · shares ").Append(WordOverlap.SharedWordCount(query, text)).Append('/').Append(queryWords).Append(" query words</span></h4>")
          .Append(WordOverlap.Highlight(shown, query)).Append("</div>");
    }
}
