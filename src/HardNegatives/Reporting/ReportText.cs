using System.Text;

namespace HardNegatives.Reporting;

/// <summary>
/// Escapes spec- and data-derived strings (source names, dataset names, reasons) for each output format, so a name is
/// shown as written and never becomes markup or script: Markdown (which renders inline HTML), LaTeX, and Plotly labels
/// (which live inside a <c>&lt;script&gt;</c> block and are rendered as a small HTML subset).
/// </summary>
public static class ReportText
{
    /// <summary>Markdown inline text: HTML-significant characters as entities, table and emphasis punctuation backslash-escaped, one line
    /// (an underscore inside a word is not emphasis, so dataset names such as <c>trec_covid</c> stay as written).</summary>
    public static string Markdown(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '\\' or '|' or '*' or '`' or '[' or ']' => "\\" + c,
                '\r' or '\n' or '\t' => " ",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>Markdown code span content: backticks and line breaks cannot be escaped inside one, so they are replaced.</summary>
    public static string MarkdownCode(string text) => text.Replace('`', '\'').Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>LaTeX text mode: the ten special characters.</summary>
    public static string Latex(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c switch
            {
                '\\' => @"\textbackslash{}",
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + c,
                '~' => @"\textasciitilde{}",
                '^' => @"\textasciicircum{}",
                '\r' or '\n' => " ",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>
    /// A Plotly label (trace name, category, title): plotly.js renders a small HTML subset there and decodes these entities,
    /// so the label shows as written, and no <c>&lt;</c> ever reaches the chart's <c>&lt;script&gt;</c> block.
    /// </summary>
    public static string Plotly(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>JSON for a <c>&lt;script&gt;</c> block: <c>&lt;</c> only occurs inside JSON strings, where <c>\u003c</c> means the same.</summary>
    public static string ScriptJson(string json) => json.Replace("<", "\\u003c");
}
