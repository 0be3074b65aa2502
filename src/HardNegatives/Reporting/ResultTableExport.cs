using System.Net;
using System.Text;

namespace HardNegatives.Reporting;

/// <summary>Renders a <see cref="ResultTable"/> as Markdown, LaTeX (booktabs) or standalone HTML.
/// Best per column in bold; † marks a significant difference from the reference row (Holm-corrected p &lt; 0.05).</summary>
public static class ResultTableExport
{
    public static string ToMarkdown(ResultTable table)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"| Source | {string.Join(" | ", table.Columns.Select(Md))} |");
        sb.AppendLine($"|---|{string.Concat(table.Columns.Select(_ => "---:|"))}");
        foreach (var row in table.Rows)
            sb.AppendLine($"| {Md(row)} | {string.Join(" | ", table.Columns.Select(c => Markdown(table.Cell(row, c))))} |");
        foreach (var n in table.NotRun)
            sb.AppendLine($"| {Md(n.Row)} | {string.Join(" | ", table.Columns.Select(_ => "not run"))} |");
        sb.AppendLine();
        sb.AppendLine(Legend(table, Md));
        foreach (var n in table.NotRun) sb.AppendLine($"- **{Md(n.Row)}** not run: {Md(n.Reason)}; enable with `{ReportText.MarkdownCode(n.Enable)}`.");
        return sb.ToString();
    }

    public static string ToLatex(ResultTable table)
    {
        var sb = new StringBuilder();
        sb.AppendLine(@"\begin{tabular}{l" + new string('r', table.Columns.Count) + "}");
        sb.AppendLine(@"\toprule");
        sb.AppendLine("Source & " + string.Join(" & ", table.Columns.Select(Tex)) + @" \\");
        sb.AppendLine(@"\midrule");
        foreach (var row in table.Rows)
            sb.AppendLine(Tex(row) + " & " + string.Join(" & ", table.Columns.Select(c => Latex(table.Cell(row, c)))) + @" \\");
        foreach (var n in table.NotRun)
            sb.AppendLine(Tex(n.Row) + " & " + string.Join(" & ", table.Columns.Select(_ => "--")) + @" \\");
        sb.AppendLine(@"\bottomrule");
        sb.AppendLine(@"\end{tabular}");
        return sb.ToString();
    }

    /// <summary>An HTML fragment (a styled table) for notebooks; <see cref="ToHtmlPage"/> wraps it as a page.</summary>
    public static string ToHtml(ResultTable table)
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"hn-results\" style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        sb.Append("<thead><tr><th style=\"text-align:left;padding:4px 8px;border-bottom:2px solid #333\">Source</th>");
        foreach (var c in table.Columns) sb.Append($"<th style=\"text-align:right;padding:4px 8px;border-bottom:2px solid #333\">{E(c)}</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            sb.Append($"<tr><td style=\"padding:4px 8px\">{E(row)}</td>");
            foreach (var c in table.Columns)
            {
                var cell = table.Cell(row, c);
                var text = cell is null ? "–" : E(cell.Format()) + (cell.Significant ? "†" : "");
                var weight = cell?.IsBest == true ? "font-weight:bold;" : "";
                var title = cell?.AdjustedP is { } p ? $" title=\"p (Holm) = {p:G3}\"" : "";
                sb.Append($"<td style=\"text-align:right;padding:4px 8px;{weight}\"{title}>{text}</td>");
            }
            sb.Append("</tr>");
        }
        foreach (var n in table.NotRun)
            sb.Append($"<tr style=\"color:#888\"><td style=\"padding:4px 8px\">{E(n.Row)}</td><td colspan=\"{table.Columns.Count}\" style=\"padding:4px 8px\">not run: {E(n.Reason)}; enable with <code>{E(n.Enable)}</code></td></tr>");
        sb.Append("</tbody></table>");
        sb.Append($"<p style=\"font-family:sans-serif;font-size:12px;color:#555\">{E(Legend(table, r => r))}</p>");
        return sb.ToString();
    }

    public static string ToHtmlPage(ResultTable table, string title) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{E(title)}</title></head><body><h2 style=\"font-family:sans-serif\">{E(title)}</h2>{ToHtml(table)}</body></html>";

    static string Legend(ResultTable table, Func<string, string> escape) =>
        $"{table.Metric}; mean ± sd over seeds; bold: best in column" +
        (table.Note is null ? "" : $"; {escape(table.Note)}") +
        (table.ReferenceRow is null ? "." : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"; †: differs from {escape(table.ReferenceRow)} (two-level paired bootstrap over queries × seeds, Holm–Bonferroni within the column, p < {table.Alpha})."));

    static string Markdown(ResultCell? cell) =>
        cell is null ? "–" : (cell.IsBest ? $"**{cell.Format()}**" : cell.Format()) + (cell.Significant ? "†" : "");

    static string Latex(ResultCell? cell)
    {
        if (cell is null) return "--";
        var text = cell.Seeds > 1
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{cell.Mean:F4} $\\pm$ {cell.StdDev:F4}")
            : cell.Mean.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        if (cell.IsBest) text = $"\\textbf{{{text}}}";
        return cell.Significant ? text + "$^\\dagger$" : text;
    }

    static string Tex(string s) => ReportText.Latex(s);
    static string Md(string s) => ReportText.Markdown(s);
    static string E(string s) => WebUtility.HtmlEncode(s);
}
