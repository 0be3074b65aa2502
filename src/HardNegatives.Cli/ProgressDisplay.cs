using Spectre.Console;

namespace HardNegatives.Cli;

/// <summary>Runs CPU-bound library work on the thread pool with a Spectre progress bar (plain lines when output is redirected).</summary>
static class ProgressDisplay
{
    /// <param name="describe">Turns a library progress report into (label, done, total or null when unknown).</param>
    public static async Task<TResult> RunAsync<TProgress, TResult>(string title, Func<IProgress<TProgress>, TResult> work,
        Func<TProgress, (string Label, long Done, long? Total)> describe)
    {
        if (PlainProgressLines.Wanted) return await Task.Run(() => work(Plain(title, describe)));
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

    /// <summary>Progress as plain lines for a log (<see cref="PlainProgressLines"/>), reported synchronously.</summary>
    public static IProgress<TProgress> Plain<TProgress>(string title, Func<TProgress, (string Label, long Done, long? Total)> describe)
    {
        var lines = new PlainProgressLines(title);
        return new Callback<TProgress>(p => { var (label, done, total) = describe(p); lines.Report(label, done, total); });
    }

    sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
