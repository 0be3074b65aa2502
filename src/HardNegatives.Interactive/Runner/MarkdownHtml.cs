using System.Text;
using System.Text.RegularExpressions;
using HardNegatives.Interactive.Formatting;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// The small Markdown subset the kit's notebooks use, as HTML for rendered pages: headings, paragraphs, bullet and
/// numbered lists, fenced code, inline code, bold, italics and links. Anything else shows as plain text.
/// </summary>
static partial class MarkdownHtml
{
    public static string Render(string markdown)
    {
        var sb = new StringBuilder();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        string? list = null;
        var paragraph = new List<string>();
        void Flush()
        {
            if (paragraph.Count > 0) { sb.Append("<p>").Append(Inline(string.Join(" ", paragraph))).Append("</p>\n"); paragraph.Clear(); }
        }
        void CloseList()
        {
            if (list is not null) { sb.Append("</").Append(list).Append(">\n"); list = null; }
        }
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                Flush(); CloseList();
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                sb.Append("<pre><code>").Append(Html.Encode(string.Join("\n", code))).Append("</code></pre>\n");
                continue;
            }
            if (Heading().Match(line) is { Success: true } h)
            {
                Flush(); CloseList();
                int level = h.Groups[1].Length;
                sb.Append($"<h{level}>").Append(Inline(h.Groups[2].Value)).Append($"</h{level}>\n");
                continue;
            }
            if (ListItem().Match(line) is { Success: true } li)
            {
                Flush();
                var kind = char.IsDigit(li.Groups[1].Value[0]) ? "ol" : "ul";
                if (list != kind) { CloseList(); sb.Append('<').Append(kind).Append(">\n"); list = kind; }
                sb.Append("<li>").Append(Inline(li.Groups[2].Value)).Append("</li>\n");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) { Flush(); CloseList(); continue; }
            if (list is not null && line.StartsWith("  ", StringComparison.Ordinal)) { sb.Length -= "</li>\n".Length; sb.Append(' ').Append(Inline(line.Trim())).Append("</li>\n"); continue; }
            CloseList();
            paragraph.Add(line.Trim());
        }
        Flush(); CloseList();
        return sb.ToString();
    }

    static string Inline(string text)
    {
        var encoded = Html.Encode(text);
        encoded = Code().Replace(encoded, "<code>$1</code>");
        encoded = Bold().Replace(encoded, "<b>$1</b>");
        encoded = Italic().Replace(encoded, "<i>$1</i>");
        return Link().Replace(encoded, "<a href=\"$2\">$1</a>");
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")] private static partial Regex Heading();
    [GeneratedRegex(@"^\s*([-*]|\d+\.)\s+(.*)$")] private static partial Regex ListItem();
    [GeneratedRegex(@"`([^`]+)`")] private static partial Regex Code();
    [GeneratedRegex(@"\*\*([^*]+)\*\*")] private static partial Regex Bold();
    [GeneratedRegex(@"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])")] private static partial Regex Italic();
    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")] private static partial Regex Link();
}
