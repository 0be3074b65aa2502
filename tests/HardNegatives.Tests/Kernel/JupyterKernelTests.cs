using System.Diagnostics;
using System.Text.Json.Nodes;
using HardNegatives.Tests.Data;
using HardNegatives.Tests.Interactive;

namespace HardNegatives.Tests.Kernel;

/// <summary>
/// The kit's kernels through real Jupyter clients: <c>hn kernel install --prefix TMP</c>, then Debian's <c>jupyter</c> and the
/// Python tests in tests/kernel (the jupyter_kernel_test conformance suite and behaviour tests) with JUPYTER_PATH=TMP/share/jupyter.
/// </summary>
[Trait("Category", "JupyterKernel")]
public class JupyterKernelTests
{
    static string TestsDir => Path.Combine(KitFormattersTests.RepoRoot(), "tests", "kernel");

    /// <summary>The kernelspecs in a fresh prefix (installed once per test, each test has its own).</summary>
    static string InstallKernelSpecs()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "hn-kernel-" + Guid.NewGuid().ToString("N")[..8]);
        var install = HnCli.Run("kernel", "install", "--prefix", prefix);
        Assert.True(install.ExitCode == 0, install.StdErr);
        return Path.Combine(prefix, "share", "jupyter");
    }

    [JupyterFact]
    public void Install_WritesBothKernelspecs_ThatJupyterLists_AndRemoveTakesThemAway()
    {
        JupyterClient.Require();
        var dataDir = InstallKernelSpecs();
        var env = new Dictionary<string, string> { ["JUPYTER_PATH"] = dataDir };
        var listed = JupyterClient.Run(env, "/usr/bin/jupyter", "kernelspec", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.Output);
        var specs = (JsonObject)JsonNode.Parse(listed.StdOut)!["kernelspecs"]!;
        foreach (var (name, display, language) in new[] { ("hardnegatives-csharp", "C# (HardNegatives)", "csharp"), ("hardnegatives-fsharp", "F# (HardNegatives)", "fsharp") })
        {
            var spec = specs[name] ?? throw new Xunit.Sdk.XunitException($"{name} not listed: {listed.StdOut}");
            Assert.Equal(Path.Combine(dataDir, "kernels", name), (string?)spec["resource_dir"]);
            Assert.Equal(display, (string?)spec["spec"]!["display_name"]);
            Assert.Equal("message", (string?)spec["spec"]!["interrupt_mode"]);
            var argv = ((JsonArray)spec["spec"]!["argv"]!).Select(a => (string)a!).ToList();
            Assert.True(Path.IsPathRooted(argv[0]), argv[0]);
            Assert.Equal(["kernel", "run", "--language", language, "--connection-file", "{connection_file}"], argv[^6..]);
            Assert.True(File.Exists(Path.Combine(dataDir, "kernels", name, "logo-64x64.png")));
        }
        var ours = HnCli.Run(env, "kernel", "list");
        Assert.Contains(Path.Combine(dataDir, "kernels", "hardnegatives-csharp"), ours.StdOut);
        var removed = HnCli.Run("kernel", "remove", "--prefix", Path.GetDirectoryName(Path.GetDirectoryName(dataDir))!);
        Assert.True(removed.ExitCode == 0, removed.StdErr);
        Assert.False(Directory.Exists(Path.Combine(dataDir, "kernels", "hardnegatives-csharp")));
    }

    [JupyterFact]
    public void ConformanceSuite_Passes() => RunPythonTests("test_conformance*.py");

    [JupyterFact]
    public void Behaviour_SecurityInterruptRestartErrorsStdin() => RunPythonTests("test_behaviour*.py");

    [JupyterFact(NeedsConsole = true)]
    public void JupyterConsole_InTmux_TypeALineAndSeeTheResult()
    {
        if (JupyterClient.MissingConsole is { } what) Assert.Fail($"{what}; CI must install jupyter-console and tmux");
        RunPythonTests("test_console*.py");
    }

    /// <summary>
    /// As a person would: Jupyter Notebook on loopback, 00-quickstart on the kit's C# kernel in headless Chromium, Run All;
    /// the page must show the kit's outputs and no error. The screenshot is kept in artifacts/screenshots.
    /// </summary>
    [NotebookInBrowserFact]
    public void JupyterNotebook_InHeadlessChromium_RunsTheQuickstartOnTheKitKernel()
    {
        if (NotebookInBrowserFactAttribute.Missing is { } what) Assert.Fail($"{what}; CI must install chromium and jupyter-notebook");
        RunPythonTests("test_browser*.py", ("HN_SCREENSHOT_DIR", Path.Combine(KitFormattersTests.RepoRoot(), "artifacts", "screenshots")));
    }

    static void RunPythonTests(string pattern, params (string Name, string Value)[] extra)
    {
        JupyterClient.Require();
        var env = new Dictionary<string, string> { ["JUPYTER_PATH"] = InstallKernelSpecs(), ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" };
        foreach (var (name, value) in extra) env[name] = value;
        var run = JupyterClient.Run(env, "/usr/bin/python3", "-m", "unittest", "discover", "-s", TestsDir, "-p", pattern, "-v");
        Assert.True(run.ExitCode == 0, $"python tests {pattern} failed:\n{run.Output}");
        Assert.DoesNotContain("Ran 0 tests", run.Output);
    }
}

/// <summary>Debian's Jupyter client side (jupyter-client, python3-jupyter-kernel-test), run as child processes.</summary>
static class JupyterClient
{
    static readonly Lazy<string?> missing = new(FindMissing);

    public static string? Missing => missing.Value;

    public static void Require()
    {
        if (Missing is { } what) Assert.Fail($"{what}; CI must install jupyter-client and python3-jupyter-kernel-test (Debian)");
    }

    /// <summary>What <c>jupyter console</c> under tmux needs beyond the client (Debian: jupyter-console, tmux), or null.</summary>
    public static string? MissingConsole =>
        Missing ?? (!File.Exists("/usr/bin/jupyter-console") ? "/usr/bin/jupyter-console not found (apt-get install jupyter-console)"
            : !File.Exists("/usr/bin/tmux") ? "/usr/bin/tmux not found (apt-get install tmux)" : null);

    static string? FindMissing()
    {
        if (!File.Exists("/usr/bin/python3") || !File.Exists("/usr/bin/jupyter")) return "/usr/bin/python3 or /usr/bin/jupyter not found (apt-get install jupyter-client python3-jupyter-kernel-test)";
        var probe = Run(null, "/usr/bin/python3", "-c", "import jupyter_client, jupyter_kernel_test, zmq");
        return probe.ExitCode == 0 ? null : $"python modules missing: {probe.StdErr.Trim().Split('\n').LastOrDefault()}";
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Output => StdOut + "\n" + StdErr;
    }

    public static Result Run(IReadOnlyDictionary<string, string>? environment, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A guard against a hung kernel or client, never a timing assertion.
        if (!process.WaitForExit(1_800_000)) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{program} did not finish in 30 min"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Needs headless Chromium and Debian's Jupyter Notebook server: skipped with the reason where missing, failed in CI.</summary>
public sealed class NotebookInBrowserFactAttribute : FactAttribute
{
    public static string? Missing =>
        JupyterClient.Missing ?? (Chromium.Path is null ? "headless Chromium not found (apt-get install chromium, or set HN_CHROMIUM)"
            : !File.Exists("/usr/bin/jupyter-notebook") ? "/usr/bin/jupyter-notebook not found (apt-get install jupyter-notebook)" : null);

    public NotebookInBrowserFactAttribute()
    {
        if (Missing is { } what && !RealKernel.InCi) Skip = what + "; notebook-in-browser test skipped";
    }
}

/// <summary>A fact that needs Debian's Jupyter client: skipped with the reason where it is missing, failed in CI (<c>CI=true</c>).</summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    /// <summary>Also needs jupyter-console and tmux.</summary>
    public bool NeedsConsole
    {
        get;
        set
        {
            field = value;
            Skip = null;
            if ((value ? JupyterClient.MissingConsole : JupyterClient.Missing) is { } what && !RealKernel.InCi) Skip = what + "; kit kernel test skipped";
        }
    }

    public JupyterFactAttribute()
    {
        if (JupyterClient.Missing is { } what && !RealKernel.InCi) Skip = what + "; kit kernel test skipped";
    }
}
