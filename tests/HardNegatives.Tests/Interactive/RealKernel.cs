using System.Diagnostics;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

/// <summary>
/// What the real-kernel tests need: Jupyter (Debian's nbconvert/nbclient), the .NET Interactive kernelspecs and the kit's
/// local feed, all prepared by <c>notebooks/setup</c>. Missing tools skip the tests on a developer machine, and fail them
/// in CI (<c>CI=true</c>), where a skip would hide that no notebook ran.
/// </summary>
static class RealKernel
{
    static readonly Lazy<string?> missing = new(FindMissing);

    public static string? Missing => missing.Value;

    public static bool InCi => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1";

    /// <summary>Fails with what to do when a tool is missing (reached only in CI, where the test is not skipped).</summary>
    public static void Require()
    {
        if (Missing is { } what) Assert.Fail($"{what}; CI must install jupyter-nbconvert, python3-nbclient, jupyter-client and run notebooks/setup");
    }

    static string? FindMissing()
    {
        var jupyter = NbConvertRunner.FindJupyter();
        if (jupyter is null) return "jupyter not found (apt-get install jupyter-nbconvert python3-nbclient jupyter-client)";
        var feed = Path.Combine(KitFormattersTests.RepoRoot(), "artifacts", "feed", "HardNegatives.Interactive.0.1.0.nupkg");
        if (!File.Exists(feed)) return $"the kit's local feed is empty ({feed}): run notebooks/setup";
        var psi = new ProcessStartInfo(jupyter, ["kernelspec", "list"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var list = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return list.Contains(".net-csharp") && list.Contains(".net-fsharp") ? null : "the .NET Interactive kernelspecs are not registered: run notebooks/setup";
    }
}

/// <summary>A theory that runs in the real kernel: skipped (with the reason) where the tools are missing, unless in CI.</summary>
public sealed class RealKernelTheoryAttribute : TheoryAttribute
{
    public RealKernelTheoryAttribute()
    {
        if (RealKernel.Missing is { } what && !RealKernel.InCi) Skip = what + "; real-kernel notebook test skipped";
    }
}

/// <summary>A fact that runs in the real kernel; see <see cref="RealKernelTheoryAttribute"/>.</summary>
public sealed class RealKernelFactAttribute : FactAttribute
{
    public RealKernelFactAttribute()
    {
        if (RealKernel.Missing is { } what && !RealKernel.InCi) Skip = what + "; real-kernel notebook test skipped";
    }
}
