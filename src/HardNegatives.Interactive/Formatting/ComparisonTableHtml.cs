using System.Globalization;
using System.Text;
using HardNegatives.Interactive.Facade;

namespace HardNegatives.Interactive.Formatting;

/// <summary>
/// A <see cref="SystemsComparison"/> as one table: a row per system, per measure the mean (bold = best, † = significantly
/// different from the baseline after correction), Δ, queries better/worse, p and corrected p. Every name is HTML-encoded.
/// </summary>
public static class ComparisonTableHtml
{
    static readonly string[] PerMeasure = ["mean", "Δ", "+/−", "p", "p corr."];

    public static string Render(SystemsComparison c)
    {
        var sb = new StringBuilder("<table><caption>").Append(Html.Encode(c.Caption)).Append("</caption><thead><tr><th rowspan=\"2\">system</th>");
        foreach (var m in c.Measures) sb.Append("<th colspan=\"").Append(PerMeasure.Length).Append("\">").Append(Html.Encode(m)).Append("</th>");
        sb.Append("</tr><tr>");
        foreach (var _ in c.Measures) foreach (var h in PerMeasure) sb.Append("<th>").Append(Html.Encode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var s in c.Systems)
        {
            sb.Append("<tr><td>").Append(Html.Encode(s)).Append(s == c.Baseline ? " <span class=\"hn-muted\">(baseline)</span>" : "").Append("</td>");
            foreach (var m in c.Measures)
            {
                var cells = Cells(c, s, m);
                bool best = c.Systems.All(o => c.Mean(o, m) <= c.Mean(s, m));
                sb.Append("<td class=\"num\">").Append(best ? "<b>" : "").Append(Html.Encode(cells[0])).Append(best ? "</b>" : "").Append("</td>");
                foreach (var cell in cells.Skip(1)) sb.Append("<td class=\"num\">").Append(Html.Encode(cell)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        return Html.Wrap(sb.Append("</tbody></table>").ToString());
    }

    /// <summary>The same table as aligned plain text (notebook text/plain, terminals).</summary>
    public static string Text(SystemsComparison c)
    {
        var header = new List<string> { "system" };
        foreach (var m in c.Measures) header.AddRange(PerMeasure.Select(h => h == "mean" ? m : h));
        var rows = c.Systems.Select(s => (IReadOnlyList<string>)[s + (s == c.Baseline ? " (baseline)" : ""), .. c.Measures.SelectMany(m => Cells(c, s, m))]).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToList();
        var sb = new StringBuilder(c.Caption).Append('\n');
        sb.AppendJoin("  ", header.Select((h, i) => i == 0 ? h.PadRight(widths[i]) : h.PadLeft(widths[i]))).Append('\n');
        foreach (var r in rows) sb.Append(string.Join("  ", r.Select((v, i) => i == 0 ? v.PadRight(widths[i]) : v.PadLeft(widths[i]))).TrimEnd()).Append('\n');
        return sb.ToString().TrimEnd();
    }

    /// <summary>mean (with †), Δ, +/−, p, corrected p; the baseline's test cells are empty.</summary>
    static string[] Cells(SystemsComparison c, string system, string measure)
    {
        var mean = F(c.Mean(system, measure)) + (c.Significant(system, measure) ? "†" : "");
        if (system == c.Baseline) return [mean, "", "", "", ""];
        var row = c.Row(system, measure);
        var (better, worse) = c.WinLoss(system, measure);
        return [mean, (row.Delta >= 0 ? "+" : "") + F(row.Delta), $"{better}/{worse}", P(c.PValue(system, measure)), P(c.CorrectedPValue(system, measure))];
    }

    static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
    static string P(double p) => p < 0.0001 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);
}
