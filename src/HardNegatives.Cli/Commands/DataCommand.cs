using System.CommandLine;
using HardNegatives.Data;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn data list|stats</c>: see what datasets there are and what is in them.</summary>
static class DataCommand
{
    public static Command Create()
    {
        var data = new Command("data", "Datasets: list, stats, validate, fetch.");
        data.Subcommands.Add(List());
        data.Subcommands.Add(Stats());
        return data;
    }

    static Command List()
    {
        var list = new Command("list", "Show bundled and downloaded datasets.");
        list.SetAction(_ =>
        {
            var table = new Table().AddColumns("dataset", "where", "folder");
            foreach (var name in DatasetLocator.BundledNames) table.AddRow(name, "bundled", Markup.Escape(Path.Combine(KitPaths.BundledData, "bundled", name)));
            foreach (var name in DatasetLocator.CachedNames) table.AddRow(name, "cache", Markup.Escape(Path.Combine(KitPaths.DatasetCache, name)));
            AnsiConsole.Write(table);
        });
        return list;
    }

    static Command Stats()
    {
        var dataset = new Argument<string>("dataset") { Description = "A bundled or downloaded dataset name, or a BEIR folder." };
        var stats = new Command("stats", "Counts per split and text-length distributions (whitespace tokens).") { dataset };
        stats.SetAction(parse =>
        {
            var s = DatasetStats.Compute(DatasetLocator.Open(parse.GetValue(dataset)!));
            Console.WriteLine($"dataset    {s.Name}");
            Console.WriteLine($"documents  {s.Documents:N0}");
            Console.WriteLine($"queries    {s.Queries:N0}");
            var splits = new Table().AddColumns("split", "queries", "judgments", "per query", "grade-0 rows");
            foreach (var sp in s.Splits) splits.AddRow(sp.Split, $"{sp.Queries:N0}", $"{sp.Judgments:N0}", $"{sp.JudgmentsPerQuery:F2}", $"{sp.ZeroGradeRows:N0}");
            AnsiConsole.Write(splits);
            var lengths = new Table().AddColumns("text", "count", "mean", "min", "median", "p90", "max");
            foreach (var (label, l) in new[] { ("documents", s.DocumentLengths), ("queries", s.QueryLengths) })
                lengths.AddRow(label, $"{l.Count:N0}", $"{l.Mean:F1}", $"{l.Min}", $"{l.Median}", $"{l.P90}", $"{l.Max}");
            AnsiConsole.Write(lengths);
        });
        return stats;
    }
}
