using System.CommandLine;
using HardNegatives.Data;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn data list|stats|validate|pairs|fetch</c>: see what datasets there are, check them, get them.</summary>
static class DataCommand
{
    public static Command Create()
    {
        var data = new Command("data", "Datasets: list, stats, validate, fetch.");
        data.Subcommands.Add(List());
        data.Subcommands.Add(Stats());
        data.Subcommands.Add(Validate());
        data.Subcommands.Add(Pairs());
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

    static Command Validate()
    {
        var dataset = new Argument<string>("dataset") { Description = "A bundled or downloaded dataset name, or a BEIR folder." };
        var max = new Option<int>("--max-per-kind") { Description = "Findings of one kind per file listed one by one; the rest are counted.", DefaultValueFactory = _ => 10 };
        var validate = new Command("validate", "Check corpus, queries and qrels; one line per finding with file:line. Exit code 1 only on errors.") { dataset, max };
        validate.SetAction(parse =>
        {
            var report = DatasetValidator.Validate(parse.GetValue(dataset)!, new ValidationOptions(parse.GetValue(max)));
            foreach (var issue in report.Issues)
                (issue.Severity == IssueSeverity.Error ? Console.Error : Console.Out).WriteLine(issue.ToString());
            Console.WriteLine($"{report.Dataset}: {report.Documents:N0} documents, {report.Queries:N0} queries, " +
                string.Join(", ", report.Qrels.Select(q => $"{q.Split} {q.Rows:N0} judgments of {q.Queries:N0} queries ({(q.HasHeader ? "header" : "no header")})")));
            Console.WriteLine(report.HasErrors
                ? $"invalid: {report.Errors:N0} errors, {report.Warnings:N0} warnings"
                : $"valid: 0 errors, {report.Warnings:N0} warnings");
            return report.HasErrors ? 1 : 0;
        });
        return validate;
    }

    static Command Pairs()
    {
        var dataset = new Argument<string>("dataset") { Description = "A bundled or downloaded dataset name, or a BEIR folder." };
        var split = new Option<string>("--split") { Description = "The qrels split to read positives from.", DefaultValueFactory = _ => "train" };
        var minGrade = new Option<int>("--min-grade") { Description = "Smallest grade that counts as positive.", DefaultValueFactory = _ => 1 };
        var pairs = new Command("pairs", "Count the (query, positives) training pairs a split gives.") { dataset, split, minGrade };
        pairs.SetAction(parse =>
        {
            var set = TrainingPairs.FromBeir(DatasetLocator.Open(parse.GetValue(dataset)!), parse.GetValue(split)!, new TrainingPairOptions(parse.GetValue(minGrade)));
            Console.WriteLine($"pairs      {set.Pairs.Count:N0}");
            Console.WriteLine($"positives  {set.PositiveCount:N0}");
            Console.WriteLine($"skipped    {set.SkippedMissingQueries:N0} queries without text, {set.SkippedMissingPositives:N0} positives missing from the corpus");
        });
        return pairs;
    }
}
