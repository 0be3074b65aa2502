using Spectre.Console;

namespace HardNegatives.Cli;

/// <summary>Runs CPU-bound library work on the thread pool with a Spectre progress bar (plain when output is redirected).</summary>
static class ProgressDisplay
{
    /// <param name="describe">Turns a library progress report into (label, done, total or null when unknown).</param>
    public static async Task<TResult> RunAsync<TProgress, TResult>(string title, Func<IProgress<TProgress>, TResult> work,
        Func<TProgress, (string Label, long Done, long? Total)> describe)
    {
        if (Console.IsErrorRedirected || Console.IsOutputRedirected) return await Task.Run(() => work(new Progress<TProgress>(_ => { })));
        TResult result = default!;
        await AnsiConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                var progress = new Callback<TProgress>(p =>
                {
                    var (label, done, total) = describe(p);
                    task.Description = Markup.Escape($"{title}: {label}");
                    if (total is > 0) { task.MaxValue = total.Value; task.Value = done; } else task.IsIndeterminate = true;
                });
                result = await Task.Run(() => work(progress));
            });
        return result;
    }

    sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
