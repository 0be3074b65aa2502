using System.Reflection;
using System.Runtime.InteropServices;
using HardNegatives.Data;

namespace HardNegatives.Native;

/// <summary>
/// When TorchSharp is loaded straight from its NuGet package (a notebook kernel's <c>#r "nuget: …"</c>), the glue library
/// the process would load is the shared NuGet cache copy, which the kit must not rewrite. Instead the kit keeps a patched
/// private copy under <c>$HN_HOME/native/torchsharp-&lt;version&gt;/</c> and loads it before TorchSharp looks: LibTorch from
/// its own package first (the glue finds it by soname), then the private glue by path. TorchSharp's later lookups by name
/// (<c>NativeLibrary.TryLoad("LibTorchSharp", …)</c> and its <c>[DllImport]</c>s) then get the library already loaded, since
/// the dynamic loader matches a bare name against the sonames of loaded libraries; a
/// <see cref="NativeLibrary.SetDllImportResolver"/> for TorchSharp's assembly routes its imports there as well.
/// </summary>
static class PrivateGlueCopy
{
    const string GlueFile = "libLibTorchSharp.so";
    static string? privatePath;

    /// <summary>
    /// The glue library inside TorchSharp's package folder (<c>…/torchsharp/&lt;v&gt;/runtimes/&lt;rid&gt;/native</c>) when
    /// TorchSharp.dll was loaded from <c>…/torchsharp/&lt;v&gt;/lib/&lt;tfm&gt;/</c>; null for an application's own bin folder.
    /// </summary>
    public static string? PackagedGlue(string torchAssemblyFolder, string rid)
    {
        var lib = Path.GetDirectoryName(Path.GetFullPath(torchAssemblyFolder).TrimEnd(Path.DirectorySeparatorChar));
        if (lib is null || !string.Equals(Path.GetFileName(lib), "lib", StringComparison.Ordinal)) return null;
        var packageRoot = Path.GetDirectoryName(lib)!;
        var glue = Path.Combine(packageRoot, "runtimes", rid, "native", GlueFile);
        return File.Exists(glue) ? glue : null;
    }

    /// <summary>
    /// Makes (once) the patched private copy of <paramref name="sharedGlue"/> and routes TorchSharp's native lookups of the
    /// glue library to it; returns its path, or null when the shared copy needs no fix.
    /// </summary>
    public static string? Use(string sharedGlue, IReadOnlySet<string> providedVersions, Assembly torchAssembly)
    {
        var version = torchAssembly.GetName().Version?.ToString(3) ?? "unknown";
        var folder = Path.Combine(KitPaths.Home, "native", $"torchsharp-{version}");
        var copy = Path.Combine(folder, GlueFile);
        var sourceInfo = new FileInfo(sharedGlue);
        if (!File.Exists(copy) || new FileInfo(copy).Length != sourceInfo.Length || File.GetLastWriteTimeUtc(copy) < sourceInfo.LastWriteTimeUtc)
        {
            // Probe on a scratch copy first: nothing to do if the system's libstdc++ already has every version.
            Directory.CreateDirectory(folder);
            var scratch = copy + $".{Environment.ProcessId}.new";
            File.Copy(sharedGlue, scratch, overwrite: true);
            if (!TorchRuntime.PatchIfNeeded(scratch, providedVersions)) { File.Delete(scratch); return null; }
            File.Move(scratch, copy, overwrite: true);
        }
        privatePath = copy;
        PreloadLibTorch(sharedGlue);
        NativeLibrary.Load(copy);
        try { NativeLibrary.SetDllImportResolver(torchAssembly, Resolve); }
        catch (InvalidOperationException) { } // someone else resolves TorchSharp's imports; the loaded glue still serves them
        return copy;
    }

    /// <summary>
    /// Loads LibTorch (<c>libtorch.so</c>, which pulls in <c>libtorch_cpu.so</c> and <c>libc10.so</c>) from the newest
    /// <c>libtorch-*-linux-*</c> package next to TorchSharp's in the packages folder, so the glue's dependencies are met.
    /// </summary>
    static void PreloadLibTorch(string sharedGlue)
    {
        // …/packages/torchsharp/<v>/runtimes/<rid>/native/libLibTorchSharp.so → …/packages
        var native = Path.GetDirectoryName(sharedGlue)!;
        var rid = Path.GetFileName(Path.GetDirectoryName(native)!);
        var packages = Path.GetFullPath(Path.Combine(native, "..", "..", "..", "..", ".."));
        var libtorch = Directory.Exists(packages)
            ? Directory.GetDirectories(packages, "libtorch-*")
                .SelectMany(p => Directory.Exists(p) ? Directory.GetDirectories(p) : [])
                .Select(v => Path.Combine(v, "runtimes", rid, "native", "libtorch.so"))
                .Where(File.Exists)
                .OrderByDescending(p => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(p))))), out var v) ? v : new Version())
                .FirstOrDefault()
            : null;
        if (libtorch is not null) NativeLibrary.Load(libtorch);
    }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (privatePath is null || name is not ("LibTorchSharp" or "libLibTorchSharp" or GlueFile)) return IntPtr.Zero;
        // The glue finds LibTorch by soname: load LibTorch first, the way the host would (its package's native folder).
        NativeLibrary.TryLoad("libtorch", assembly, searchPath, out _);
        return NativeLibrary.Load(privatePath);
    }
}
