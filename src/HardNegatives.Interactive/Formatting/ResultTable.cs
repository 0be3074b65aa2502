using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace HardNegatives.Interactive.Formatting;

/// <summary>
/// Rows of any records (the kit's result records, anonymous projections) as a table: one column per public property.
/// Displays as an HTML table in notebooks and as aligned text elsewhere. Build with <see cref="Of{T}"/>.
/// </summary>
public sealed class ResultTable
{
    ResultTable(string? caption, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        Caption = caption;
        Columns = columns;
        Rows = rows;
    }

    public string? Caption { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }

    /// <summary>A table of <paramref name="rows"/>; nested collections show as their item count, dictionaries as k=v.</summary>
    public static ResultTable Of<T>(IEnumerable<T> rows, string? caption = null)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var values = rows.Select(r => (IReadOnlyList<object?>)properties.Select(p => Cell(p.GetValue(r))).ToList()).ToList();
        return new ResultTable(caption, properties.Select(p => p.Name).ToList(), values);
    }

    public string ToHtml() => Html.Wrap(Html.Table(Caption, Columns, Rows.Take(DataFrameHtml.MaxRows), Rows.Count));

    /// <summary>Aligned plain-text columns.</summary>
    public override string ToString()
    {
        var cells = Rows.Select(r => r.Select(Html.Number).ToList()).ToList();
        var widths = Columns.Select((c, i) => Math.Min(60, cells.Select(r => r[i].Length).Append(c.Length).Max())).ToList();
        string Fit(string s, int w) => s.Length > w ? s[..(w - 1)] + "…" : s.PadRight(w);
        var sb = new StringBuilder();
        if (Caption is not null) sb.AppendLine(Caption);
        sb.AppendLine(string.Join("  ", Columns.Select((c, i) => Fit(c, widths[i]))).TrimEnd());
        foreach (var row in cells) sb.AppendLine(string.Join("  ", row.Select((c, i) => Fit(c, widths[i]))).TrimEnd());
        return sb.ToString().TrimEnd();
    }

    static object? Cell(object? value) => value switch
    {
        null => null,
        string s => s,
        IDictionary d => string.Join(", ", d.Keys.Cast<object>().Select(k => string.Create(CultureInfo.InvariantCulture, $"{k}={d[k]}"))),
        ICollection c => $"[{c.Count} items]",
        _ => value,
    };
}
