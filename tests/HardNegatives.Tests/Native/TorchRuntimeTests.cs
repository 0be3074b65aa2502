using HardNegatives.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Native;

public class TorchRuntimeTests
{
    [Fact]
    public void MatmulAndBackwardGiveTheExpectedNumbers()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2], requires_grad: true);
        var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        var c = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
        c.sum().backward();
        // d(sum(A·B))/dA = 1·Bᵀ: every row holds the row sums of B.
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.grad!.data<float>().ToArray());
    }

    [Fact]
    public void TheGlueLibraryLoadsAndItsGlibcxxNeedsAreSatisfiedOrWeak()
    {
        TorchRuntime.EnsureLoadable();
        foreach (var glue in Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            AssertLoadable(glue);
    }

    static void AssertLoadable(string glue)
    {
        var needs = ElfVersionNeeds.Read(File.ReadAllBytes(glue));
        Assert.Contains(needs, n => n.Library == "libstdc++.so.6");
        var libstdcxx = File.ReadLines("/proc/self/maps").Select(l => l[(l.IndexOf('/') is var i and >= 0 ? i : 0)..])
            .First(p => p.Contains("libstdc++.so"));
        var provided = TorchRuntime.ReadProvidedGlibcxxVersions(libstdcxx.Trim());
        Assert.Contains("GLIBCXX_3.4.26", provided);
        Assert.All(needs.Where(n => n.Library == "libstdc++.so.6" && n.Version.StartsWith("GLIBCXX_")), n => Assert.True(n.IsWeak || provided.Contains(n.Version), n.Version));
    }

    [Fact]
    public void MarkWeakSetsOnlyTheFlagBitOfTheChosenRequirement()
    {
        var glue = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).First();
        var bytes = File.ReadAllBytes(glue);
        var original = (byte[])bytes.Clone();
        var needs = ElfVersionNeeds.Read(bytes);
        var target = needs.First(n => n.Version == "GLIBCXX_3.4.26");
        int changed = ElfVersionNeeds.MarkWeak(bytes, [target with { Flags = (ushort)(target.Flags & ~ElfVersionNeeds.WeakFlag) }]);
        Assert.Equal(1, changed);
        Assert.True(ElfVersionNeeds.Read(bytes).Single(n => n.FlagsOffset == target.FlagsOffset).IsWeak);
        int differing = bytes.Zip(original).Count(p => p.First != p.Second);
        Assert.True(differing <= 1);
    }
}

/// <summary>The native fix waits for TorchSharp: commands that never use it never look at a native file.</summary>
public class TorchRuntimeLazinessTests
{
    [Fact]
    public async Task HnEval_NeverLoadsTorchSharp_SoNeverTouchesItsNativeLibrary()
    {
        var dir = Directory.CreateTempSubdirectory("hn-lazy-native-").FullName;
        File.WriteAllText(Path.Combine(dir, "qrels"), "q 0 a 1\n");
        File.WriteAllText(Path.Combine(dir, "run"), "q Q0 a 1 1.0 t\n");
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hn.dll"));
        foreach (var a in new[] { "eval", Path.Combine(dir, "qrels"), Path.Combine(dir, "run"), "-m", "map" }) psi.ArgumentList.Add(a);
        psi.Environment["HN_TRACE_NATIVE"] = "1";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("map", await stdout);
        Assert.DoesNotContain("TorchSharp loaded", await stderr);
        Directory.Delete(dir, recursive: true);
    }
}
