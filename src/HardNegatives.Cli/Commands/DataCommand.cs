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
        data.Subcommands.Add(Fetch());
        return data;
    }

    static Command List()
    {
        var list = new Command("list", "Show bundled and downloaded datasets, and those `hn data fetch` can download.");
        list.SetAction(_ =>
        {
            var table = new Table().AddColumns("dataset", "where", "folder");
            foreach (var name in DatasetLocator.BundledNames) table.AddRow(name, "bundled", Markup.Escape(Path.Combine(KitPaths.BundledData, "bundled", name)));
            foreach (var name in DatasetLocator.CachedNames) table.AddRow(name, "cache", Markup.Escape(Path.Combine(KitPaths.DatasetCache, name)));
            foreach (var entry in DatasetRegistry.All.Where(e => !DatasetLocator.CachedNames.Contains(e.Name)))
                table.AddRow(entry.Name, "registry", Directory.Exists(Path.Combine(KitPaths.DatasetCache, entry.Name))
                    ? Markup.Escape($"{Path.Combine(KitPaths.DatasetCache, entry.Name)} (one dataset per subfolder)")
                    : $"not downloaded: hn data fetch {entry.Name}");
            AnsiConsole.Write(table);
            AnsiConsole.Profile.Out.Writer.WriteLine(CacheCommand.LeftoversLine([KitPaths.Home])); // one unwrapped line: paths stay whole
        });
        return list;
    }

    static Command Stats()
    {
        var dataset = new Argument<string>("dataset") { Description = "A bundled or downloaded dataset name, or a BEIR folder." };
        var stats = new Command("stats", "Counts per split and text-length distributions (whitespace tokens).") { dataset };
        stats.SetAction(parse =>
        {
            var opened = DatasetLocator.Open(parse.GetValue(dataset)!);
            var s = DatasetStats.Compute(opened);
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
            // Leftovers of killed runs for this dataset: in its folder and its BM25 indexes.
            AnsiConsole.Profile.Out.Writer.WriteLine(CacheCommand.LeftoversLine([opened.Directory, Path.Combine(KitPaths.Home, "indexes", opened.Name)]));
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

    static Command Fetch()
    {
        var name = new Argument<string>("name") { Description = $"A registry name: {string.Join(", ", DatasetRegistry.All.Select(e => e.Name))}." };
        var offline = new Option<bool>("--offline") { Description = "Never touch the network (also HN_OFFLINE=1); say what is missing instead." };
        var baseUrl = new Option<string?>("--base-url") { Description = "Download from this mirror instead of BEIR's server (same file names)." };
        var keep = new Option<bool>("--keep-archive") { Description = "Keep the verified .zip in the cache's .downloads folder." };
        var fetch = new Command("fetch", "Download a dataset into the cache (HN_HOME): resumable, checksum-verified, safely extracted.") { name, offline, baseUrl, keep };
        fetch.SetAction(async (parse, ct) =>
        {
            var entry = DatasetRegistry.Find(parse.GetValue(name)!);
            var mirror = parse.GetValue(baseUrl) is { } u
                ? Uri.TryCreate(u, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed : throw new ArgumentException($"--base-url '{u}' is not an http(s) URL")
                : null;
            var options = new DownloadOptions(BaseUrl: mirror, Offline: parse.GetValue(offline) || KitPaths.Offline, KeepArchive: parse.GetValue(keep));
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("hn-hardnegatives/0.1");
            var downloader = new DatasetDownloader(http, options);
            FetchResult result = null!;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = new Dictionary<FetchStage, ProgressTask>();
                    var progress = new Reporter(p =>
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                            tasks[p.Stage] = task = ctx.AddTask($"{p.Stage.ToString().ToLowerInvariant()} {Markup.Escape(entry.Name)}", autoStart: true, maxValue: p.Total ?? 1);
                        if (p.Total is { } total) task.MaxValue = total;
                        task.Value = p.Done;
                    });
                    result = await downloader.FetchAsync(entry, progress, ct);
                    foreach (var t in tasks.Values) t.Value = t.MaxValue;
                });
            if (result.AlreadyPresent) Console.WriteLine($"{entry.Name}: already in the cache at {result.Directory}");
            else Console.WriteLine($"{entry.Name}: {result.ArchiveBytes:N0} bytes, md5 {result.Md5}{(result.ChecksumVerified ? " (verified)" : " (no published checksum to verify)")}, installed at {result.Directory}");
        });
        return fetch;
    }

    /// <summary>Reports synchronously, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class Reporter(Action<FetchProgress> report) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => report(value);
    }
}
