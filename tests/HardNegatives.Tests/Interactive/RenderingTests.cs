using System.Diagnostics;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

/// <summary>Finds a headless Chromium: <c>$HN_CHROMIUM</c>, else <c>chromium</c> / <c>chromium-browser</c> on PATH (Debian: <c>apt-get install -y chromium</c>).</summary>
static class Chromium
{
    public static string? Path { get; } = Find();

    static string? Find()
    {
        if (Environment.GetEnvironmentVariable("HN_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "chromium", "chromium-browser" })
                if (File.Exists(System.IO.Path.Combine(dir, name))) return System.IO.Path.Combine(dir, name);
        return null;
    }

    /// <summary>The flags of the documented check (notebooks/README.md): headless, no network at all.</summary>
    public static string[] Flags(string profileDir) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", $"--user-data-dir={profileDir}", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--hide-scrollbars", "--virtual-time-budget=10000",
    ];

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Path!, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A fact that is skipped, with the install command, where no Chromium is installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null) Skip = "headless Chromium not found (install it with `apt-get install -y chromium`, or set HN_CHROMIUM); rendering check skipped";
    }
}

/// <summary>
/// Looks at a notebook as a person would: the committed 01-datasets notebook (outputs of a mini run) rendered to one
/// HTML page and opened in headless Chromium with every network lookup failing. The tables must be there and plotly.js
/// must have drawn the chart (its SVG exists in the live DOM), so charts display offline. Also writes a screenshot.
/// </summary>
[Trait("Category", "Slow")]
public class RenderingTests
{
    [ChromiumFact]
    public async Task RenderedNotebook_ShowsTablesAndDrawsPlotlyChart_Offline()
    {
        var dir = TestNotebooks.TempDir();
        var page = Path.Combine(dir, "01-datasets.html");
        NotebookHtmlPage.WriteFile(NotebookDocument.Load(Path.Combine(KitFormattersTests.RepoRoot(), "notebooks", "01-datasets.ipynb")), page);
        var html = File.ReadAllText(page);
        Assert.DoesNotContain("<script src=", html);

        var profile = Path.Combine(dir, "profile");
        var (code, dom, err) = await Chromium.RunAsync([.. Chromium.Flags(profile), "--dump-dom", new Uri(page).AbsoluteUri]);
        Assert.True(code == 0, $"chromium exited {code}: {err}");
        Assert.Contains("qrels per split", dom);                 // dataset stats tables
        Assert.Contains("<td class=\"num\">5,183</td>", dom);    // SciFact's corpus size, formatted
        Assert.Contains("class=\"main-svg\"", dom);              // plotly.js ran and drew the histogram
        Assert.DoesNotContain(">plotly.js did not load", dom);    // the fallback text the chart div shows when plotly.js is missing

        var png = Path.Combine(dir, "01-datasets.png");
        var shot = await Chromium.RunAsync([.. Chromium.Flags(profile), "--window-size=1200,3000", $"--screenshot={png}", new Uri(page).AbsoluteUri]);
        Assert.True(shot.ExitCode == 0 && new FileInfo(png).Length > 50_000, $"screenshot failed: {shot.Stderr}");
    }
}
