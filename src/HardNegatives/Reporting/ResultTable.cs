using Microsoft.Data.Analysis;

namespace HardNegatives.Reporting;

/// <summary>One cell: a metric's mean and standard deviation over seeds, whether it is the column's best, and its p-value
/// against the reference row (after Holm–Bonferroni correction within the column).</summary>
public sealed record ResultCell(double Mean, double StdDev, int Seeds, bool IsBest = false, double? AdjustedP = null, bool Significant = false)
{
    /// <summary><c>0.6712 ± 0.0031</c>; a bare mean for a single seed.</summary>
    public string Format(int decimals = 4) =>
        Seeds > 1 ? $"{Fixed(Mean, decimals)} ± {Fixed(StdDev, decimals)}" : Fixed(Mean, decimals);

    /// <summary>Culture-invariant fixed-point text (0.6789 under any locale: tables are data, not prose).</summary>
    static string Fixed(double value, int decimals) => value.ToString($"F{decimals}", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A row that did not run, with the reason and the option that enables it.</summary>
public sealed record NotRunRow(string Row, string Reason, string Enable);

/// <summary>
/// The paper's Table 1: rows are negative sources, columns are datasets and their average, cells are a metric
/// (nDCG@10 by default) as mean ± sd over seeds. <see cref="ReferenceRow"/> is the row significance is tested against, at level
/// <see cref="Alpha"/>; <see cref="Note"/> says which queries the means average over.
/// </summary>
public sealed record ResultTable(
    string Metric,
    IReadOnlyList<string> Rows,
    IReadOnlyList<string> Columns,
    IReadOnlyDictionary<(string Row, string Column), ResultCell> Cells,
    string? ReferenceRow,
    IReadOnlyList<NotRunRow> NotRun,
    double Alpha = 0.05,
    string? Note = null)
{
    /// <summary>Name of the average column.</summary>
    public const string AverageColumn = "Avg";

    public ResultCell? Cell(string row, string column) => Cells.TryGetValue((row, column), out var c) ? c : null;

    /// <summary>The table as a DataFrame: a <c>source</c> column, then per dataset a mean and an sd column, then the average.</summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("source", Rows) };
        foreach (var column in Columns)
        {
            columns.Add(new DoubleDataFrameColumn(column, Rows.Select(r => Cell(r, column)?.Mean)));
            columns.Add(new DoubleDataFrameColumn($"{column} sd", Rows.Select(r => Cell(r, column)?.StdDev)));
        }
        return new DataFrame(columns);
    }
}
