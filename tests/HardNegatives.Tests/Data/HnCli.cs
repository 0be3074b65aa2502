using System.Diagnostics;

namespace HardNegatives.Tests.Data;

/// <summary>Runs the real <c>hn</c> (built next to the tests) in a child process, as a user would, capturing its output.</summary>
static class HnCli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static Result Run(IReadOnlyDictionary<string, string>? environment, params string[] args) => RunVia([], environment, args);

    /// <summary>Runs hn through <paramref name="launcher"/> (e.g. <c>setpriv --reuid=… </c> to run it as another user).</summary>
    public static Result RunVia(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in launcher.Skip(1)) start.ArgumentList.Add(a);
        if (launcher.Count > 0) start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hn.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: a guard against a hung child, never a timing assertion (CI machines can be very busy).
        if (!process.WaitForExit(300_000)) { process.Kill(entireProcessTree: true); throw new TimeoutException("hn did not finish in 300 s"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] args) => Run(null, args);
}
