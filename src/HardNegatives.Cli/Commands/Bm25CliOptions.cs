using System.CommandLine;
using HardNegatives.Retrieval.Bm25;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary>Options and progress display shared by the BM25 commands (search, mine).</summary>
static class Bm25CliOptions
{
    public static Option<string> Dataset() => new("--dataset") { Description = "A bundled or downloaded dataset name, or a BEIR folder.", Required = true };
    public static Option<double> K1() => new("--k1") { Description = "BM25 k1.", DefaultValueFactory = _ => 0.9 };
    public static Option<double> B() => new("--b") { Description = "BM25 b.", DefaultValueFactory = _ => 0.4 };
    public static Option<Bm25Fields> Fields() => new("--fields") { Description = "flat: title+text in one field; multifield: title and text fields, equal weights.", DefaultValueFactory = _ => Bm25Fields.Flat };
    public static Option<int> Threads() => new("--threads") { Description = "Threads for indexing and search (0 = all cores).", DefaultValueFactory = _ => 0 };

    /// <summary>Runs <paramref name="work"/> under a Spectre progress bar fed by BM25 progress reports (plain lines when redirected).</summary>
    public static async Task<T> WithProgressAsync<T>(string title, Func<IProgress<Bm25Progress>, Task<T>> work)
    {
        if (PlainProgressLines.Wanted) return await work(ProgressDisplay.Plain<Bm25Progress>(title, p => (p.Stage, p.Done, p.Total)));
        T result = default!;
        await AnsiConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title).IsIndeterminate();
                var progress = new Progress<Bm25Progress>(p =>
                {
                    task.Description = $"{title}: {p.Stage} {p.Done:N0}{(p.Total is { } t ? $"/{t:N0}" : "")}";
                    if (p.Total is { } total && total > 0) { task.IsIndeterminate = false; task.MaxValue = total; task.Value = p.Done; }
                    else task.IsIndeterminate = true;
                });
                result = await work(progress);
            });
        return result;
    }
}
