using HardNegatives.Interactive.Runner;
using HardNegatives.Tests.Data;
using HardNegatives.Tests.Interactive;

namespace HardNegatives.Tests.Kernel;

/// <summary>
/// Every notebook in notebooks/ in mini mode on the kit's own kernels, as a person runs them: <c>hn kernel install --prefix
/// TMP</c>, then <c>jupyter nbconvert --execute --ExecutePreprocessor.kernel_name=hardnegatives-csharp</c> (08-fsharp:
/// <c>hardnegatives-fsharp</c>) with JUPYTER_PATH=TMP/share/jupyter. The notebooks keep their <c>.net-csharp</c> metadata;
/// their outputs must meet the same expectations as in the .NET Interactive kernel (<see cref="NotebookExpectations"/>).
/// Several minutes of CPU for all nine.
/// </summary>
[Trait("Category", "JupyterKernel")]
[Collection(NotebookRunsCollection.Name)]
public class KitKernelNotebookTests
{
    static readonly Lazy<string> KernelSpecs = new(() =>
    {
        var prefix = Path.Combine(Path.GetTempPath(), "hn-kernel-nb-" + Guid.NewGuid().ToString("N")[..8]);
        var install = HnCli.Run("kernel", "install", "--prefix", prefix);
        Assert.True(install.ExitCode == 0, install.StdErr);
        return Path.Combine(prefix, "share", "jupyter");
    });

    public static TheoryData<string> Notebooks() => RealKernelNotebookTests.Notebooks();

    [NbConvertTheory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsOnTheKitKernel_InMiniMode_WithTheSameValuesAsInDotNetInteractive(string name)
    {
        NbConvert.Require();
        var kernel = name.StartsWith("08-", StringComparison.Ordinal) ? "hardnegatives-fsharp" : "hardnegatives-csharp";
        var output = Path.Combine(TestNotebooks.TempDir(), name + ".ipynb");
        var result = await NbConvertRunner.RunAsync(Path.Combine(NotebookExpectations.NotebooksDir, name + ".ipynb"),
            new NbConvertOptions("mini", output, KernelName: kernel, Environment: new Dictionary<string, string> { ["JUPYTER_PATH"] = KernelSpecs.Value }));
        Assert.Equal(kernel, result.KernelName);
        await NotebookExpectations.AssertOutputsAsync(name, output);
    }
}

/// <summary>Debian's nbconvert and nbclient, which execute a notebook through a kernelspec.</summary>
static class NbConvert
{
    static readonly Lazy<string?> missing = new(() =>
    {
        if (NbConvertRunner.FindJupyter() is null || !File.Exists("/usr/bin/python3")) return "jupyter not found (apt-get install jupyter-nbconvert python3-nbclient jupyter-client)";
        var probe = JupyterClient.Run(null, "/usr/bin/python3", "-c", "import nbconvert, nbclient, jupyter_client");
        return probe.ExitCode == 0 ? null : $"python modules missing: {probe.StdErr.Trim().Split('\n').LastOrDefault()}";
    });

    public static string? Missing => missing.Value;

    public static void Require()
    {
        if (Missing is { } what) Assert.Fail($"{what}; CI must install jupyter-nbconvert, python3-nbclient and jupyter-client (Debian)");
    }
}

/// <summary>A theory that needs nbconvert: skipped with the reason where it is missing, failed in CI (<c>CI=true</c>).</summary>
public sealed class NbConvertTheoryAttribute : TheoryAttribute
{
    public NbConvertTheoryAttribute()
    {
        if (NbConvert.Missing is { } what && !RealKernel.InCi) Skip = what + "; kit kernel notebook test skipped";
    }
}
