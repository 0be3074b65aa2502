using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace HardNegatives.Native;

/// <summary>
/// Makes TorchSharp's native glue library loadable, at the first use of TorchSharp and only then.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> was linked with GCC 13 and requires <c>GLIBCXX_3.4.32</c> from libstdc++,
/// for a single symbol (<c>std::ios_base_library_init()</c>) that is never called. Debian 12's libstdc++ (GCC 12) lacks
/// that version, so the loader refuses the library. Where (and only where) the process's libstdc++ lacks it, we mark that
/// one requirement weak in the copy of the library that this application loads (its own bin folder), or, when TorchSharp
/// comes straight from the NuGet cache (a notebook kernel), in a private copy under <c>$HN_HOME/native</c> that
/// <see cref="PrivateGlueCopy"/> loads instead: the shared cache is never rewritten.
/// <para>
/// When: the fix runs when the TorchSharp assembly is loaded into the process — that is, when the first method that uses
/// a TorchSharp type is compiled, before any TorchSharp type initialiser (which loads the native library) can run. Loading
/// the kit alone does nothing: evaluation, BM25 and data commands never load TorchSharp, so they never read or write a
/// native file. The kit's module initializer only subscribes to the runtime's assembly-load event (no file access); callers
/// that load TorchSharp before the kit (a test assembly) call <see cref="EnsureLoadable"/> themselves.
/// </para>
/// </remarks>
public static class TorchRuntime
{
    /// <summary>Versions known to be required only for symbols TorchSharp never calls: safe to make weak.</summary>
    static readonly string[] SafeToWeaken = ["GLIBCXX_3.4.32"];
    static readonly object Gate = new();
    static bool _done;

#pragma warning disable CA2255 // only subscribes: the fix itself waits for TorchSharp's first load
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void WatchForTorchSharp()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            if (e.LoadedAssembly.GetName().Name == TorchSharpAssembly) OnTorchSharpLoaded();
        };
        // Already loaded (e.g. by a host that used TorchSharp first): apply now.
        if (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == TorchSharpAssembly)) OnTorchSharpLoaded();
    }

    const string TorchSharpAssembly = "TorchSharp";

    /// <summary>True once the fix has been considered in this process (TorchSharp was used, or a caller asked).</summary>
    public static bool Applied { get { lock (Gate) return _done; } }

    static void OnTorchSharpLoaded()
    {
        // HN_TRACE_NATIVE=1 says when the fix runs (tests use it to check that eval/BM25 commands never get here).
        if (Environment.GetEnvironmentVariable("HN_TRACE_NATIVE") == "1") Console.Error.WriteLine("hn: TorchSharp loaded; checking its native library");
        try { EnsureLoadable(); }
        catch (Exception e) { Console.Error.WriteLine($"warning: {e.Message}"); }
    }

    /// <summary>Where the fix was applied (empty when the system needed none); for diagnostics and environment reports.</summary>
    public static IReadOnlyList<string> PatchedFiles { get; private set; } = [];

    /// <summary>Applies the libstdc++ compatibility fix if this system needs it. Idempotent and cheap after the first call.</summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            if (!OperatingSystem.IsLinux()) return;
            LibTorchHugePages.Enable();
            var libstdcxx = FindLoadedLibStdCxx();
            if (libstdcxx is null) return;
            var systemVersions = ReadProvidedGlibcxxVersions(libstdcxx);
            var patched = new List<string>();
            // Copies in the NuGet cache (including the cpu/ folder TorchSharp itself consolidates there) are shared: never patched.
            var own = CandidateGlueLibraries().Where(p => !IsInNuGetCache(p)).ToList();
            foreach (var glue in own)
                if (PatchIfNeeded(glue, systemVersions)) patched.Add(glue);
            // Loaded from TorchSharp's NuGet package (a notebook kernel): patch a private copy, never the shared cache.
            var torchAssembly = typeof(TorchSharp.torch).Assembly;
            if (own.Count == 0 && PrivateGlueCopy.PackagedGlue(Path.GetDirectoryName(torchAssembly.Location) ?? "", Rid) is { } shared
                && PrivateGlueCopy.Use(shared, systemVersions, torchAssembly) is { } copy)
                patched.Add(copy);
            PatchedFiles = patched;
        }
    }

    /// <summary>Marks the missing-but-unused GLIBCXX requirements of <paramref name="path"/> weak; true if the file changed.</summary>
    public static bool PatchIfNeeded(string path, IReadOnlySet<string> providedVersions)
    {
        var bytes = File.ReadAllBytes(path);
        var missing = ElfVersionNeeds.Read(bytes)
            .Where(n => n.Library.StartsWith("libstdc++", StringComparison.Ordinal) && n.Version.StartsWith("GLIBCXX_", StringComparison.Ordinal) && !n.IsWeak && !providedVersions.Contains(n.Version))
            .ToList();
        if (missing.Count == 0) return false;
        var unsafeOnes = missing.Where(n => !SafeToWeaken.Contains(n.Version)).Select(n => n.Version).ToList();
        if (unsafeOnes.Count > 0)
            throw new PlatformNotSupportedException(
                $"{path} needs {string.Join(", ", unsafeOnes)} from libstdc++, which this system lacks; install a newer libstdc++ (GCC 13 or later).");
        ElfVersionNeeds.MarkWeak(bytes, missing);
        var tmp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(tmp, bytes);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, File.GetUnixFileMode(path));
        File.Move(tmp, path, overwrite: true); // atomic: a concurrent loader sees the old or the new file, never half of one
        return true;
    }

    /// <summary>The GLIBCXX_x.y.z version names a libstdc++ image defines.</summary>
    public static IReadOnlySet<string> ReadProvidedGlibcxxVersions(string libstdcxxPath)
    {
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(libstdcxxPath));
        var found = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        while ((i = text.IndexOf("GLIBCXX_3.", i, StringComparison.Ordinal)) >= 0)
        {
            int end = i + "GLIBCXX_3.".Length;
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.')) end++;
            if (end < text.Length && text[end] == '\0') found.Add(text[i..end].TrimEnd('.'));
            i = end;
        }
        return found;
    }

    static string? FindLoadedLibStdCxx()
    {
        // The .NET host itself links libstdc++, so the one this process will use is already mapped.
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal)) return line[slash..].Trim();
            }
        }
        catch (IOException) { }
        string[] known = ["/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6"];
        return known.FirstOrDefault(File.Exists);
    }

    /// <summary>Whether <paramref name="path"/> lies in the NuGet package cache (<c>$NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>).</summary>
    internal static bool IsInNuGetCache(string path)
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var full = Path.GetFullPath(path);
        return full.StartsWith(Path.GetFullPath(cache).TrimEnd('/') + "/", StringComparison.Ordinal)
            || full.Contains("/.nuget/packages/", StringComparison.Ordinal);
    }

    static string Rid => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    static IEnumerable<string> CandidateGlueLibraries()
    {
        var dirs = new List<string> { AppContext.BaseDirectory };
        var torchDir = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == TorchSharpAssembly) is { } loaded
            ? Path.GetDirectoryName(loaded.Location) : null;
        if (!string.IsNullOrEmpty(torchDir)) dirs.Add(torchDir);
        var rid = Rid;
        return dirs.Distinct()
            // TorchSharp probes its runtimes folder, the app folder, and the cpu/ or cuda/ folders its libtorch packages create.
            .SelectMany(d => new[] { Path.Combine(d, "runtimes", rid, "native"), d, Path.Combine(d, "cpu"), Path.Combine(d, "cuda") })
            .Select(d => Path.Combine(d, "libLibTorchSharp.so"))
            .Where(File.Exists)
            .Select(Path.GetFullPath)
            .Distinct();
    }
}
