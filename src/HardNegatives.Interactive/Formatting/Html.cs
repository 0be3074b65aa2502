using System.Globalization;
using System.Net;
using System.Text;

namespace HardNegatives.Interactive.Formatting;

/// <summary>Small HTML building blocks shared by the kit's formatters. Every text goes through <see cref="Encode"/>.</summary>
public static class Html
{
    /// <summary>The CSS class every kit output carries, so one style block themes all of them.</summary>
    public const string RootClass = "hn-kit";

    // Scoped under .hn-kit so the styles never leak into the notebook's own UI. Colours work on light and dark themes.
    internal const string Style = """
        <style>
        .hn-kit{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.4;max-width:100%;overflow-x:auto}
        .hn-kit table{border-collapse:collapse;margin:4px 0}
        .hn-kit th,.hn-kit td{border:1px solid #8884;padding:3px 8px;text-align:left;vertical-align:top}
        .hn-kit th{background:#8882}
        .hn-kit td.num{text-align:right;font-variant-numeric:tabular-nums}
        .hn-kit caption{text-align:left;font-weight:600;padding:2px 0}
        .hn-kit mark{background:#ffd54f;color:#000;padding:0 1px;border-radius:2px}
        .hn-kit .hn-cols{display:flex;gap:8px;align-items:stretch}
        .hn-kit .hn-card{flex:1 1 0;min-width:180px;border:1px solid #8886;border-radius:6px;padding:6px 8px}
        .hn-kit .hn-card h4{margin:0 0 4px 0;font-size:12px}
        .hn-kit .hn-pos{border-color:#2e7d32;border-width:2px}
        .hn-kit .hn-neg{border-color:#c62828}
        .hn-kit .hn-muted{opacity:.7;font-size:11px}
        .hn-kit progress{width:280px;vertical-align:middle}
        </style>
        """;

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Numbers in invariant culture: 4 significant decimals for doubles, thousands separators for integers.</summary>
    public static string Number(object? value) => value switch
    {
        null => "",
        double d => double.IsNaN(d) ? "NaN" : d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.####", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.####", CultureInfo.InvariantCulture),
        int or long or short or byte or uint or ulong => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static bool IsNumeric(object? value) => value is double or float or decimal or int or long or short or byte or uint or ulong;

    /// <summary>Wraps a fragment in the kit's root element with its style block.</summary>
    public static string Wrap(string inner) => $"<div class=\"{RootClass}\">{Style}{inner}</div>";

    /// <summary>An HTML table from a header row and cell values (numbers right-aligned).</summary>
    public static string Table(string? caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows, int? totalRows = null)
    {
        var sb = new StringBuilder("<table>");
        if (caption is not null) sb.Append("<caption>").Append(Encode(caption)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(Encode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        int shown = 0;
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
                sb.Append(IsNumeric(cell) ? "<td class=\"num\">" : "<td>").Append(Encode(Number(cell))).Append("</td>");
            sb.Append("</tr>");
            shown++;
        }
        sb.Append("</tbody></table>");
        if (totalRows is { } total && total > shown)
            sb.Append("<div class=\"hn-muted\">").Append(shown).Append(" of ").Append(total.ToString("N0", CultureInfo.InvariantCulture)).Append(" rows shown</div>");
        return sb.ToString();
    }
}
