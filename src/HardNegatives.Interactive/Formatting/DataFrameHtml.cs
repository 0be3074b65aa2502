using Microsoft.Data.Analysis;

namespace HardNegatives.Interactive.Formatting;

/// <summary>A <see cref="DataFrame"/> as an HTML table: the kit's result tables (Table 1, per-dataset scores) are DataFrames.</summary>
public static class DataFrameHtml
{
    /// <summary>How many rows a table shows before it says "n of N rows shown".</summary>
    public static int MaxRows { get; set; } = 50;

    public static string Render(DataFrame frame)
    {
        var header = frame.Columns.Select(c => c.Name).ToList();
        long count = frame.Rows.Count;
        var rows = Enumerable.Range(0, (int)Math.Min(count, MaxRows))
            .Select(i => (IReadOnlyList<object?>)frame.Columns.Select(c => c[i]).ToList());
        return Html.Wrap(Html.Table(null, header, rows, (int)count));
    }
}
