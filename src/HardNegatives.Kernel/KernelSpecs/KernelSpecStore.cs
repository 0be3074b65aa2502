using System.Diagnostics;
using System.Reflection;
using HardNegatives.Data;

namespace HardNegatives.Kernel.KernelSpecs;

/// <summary>
/// Writes, finds and removes the kit's kernelspecs in Jupyter's data folders (<c>&lt;data&gt;/kernels/&lt;name&gt;/</c>), as
/// <c>jupyter kernelspec install</c> would: the user's folder, the Python environment's prefix, or a given prefix.
/// </summary>
public static class KernelSpecStore
{
    /// <summary>The Jupyter data folder of the user (JUPYTER_DATA_DIR, else the platform's default).</summary>
    public static string UserDataDir()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } set) return Path.GetFullPath(set);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share");
        return Path.Combine(xdg, "jupyter");
    }

    /// <summary>The data folder under a prefix (<c>PREFIX/share/jupyter</c>), as Jupyter's --prefix and --sys-prefix use.</summary>
    public static string PrefixDataDir(string prefix) => Path.Combine(Path.GetFullPath(prefix), "share", "jupyter");

    /// <summary>The active Python environment's prefix (conda, virtualenv, else python3's sys.prefix).</summary>
    public static string SysPrefix()
    {
        foreach (var variable in new[] { "CONDA_PREFIX", "VIRTUAL_ENV" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } prefix) return prefix;
        try
        {
            var start = new ProcessStartInfo("python3", ["-c", "import sys; print(sys.prefix)"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var python = Process.Start(start)!;
            var prefix = python.StandardOutput.ReadToEnd().Trim();
            python.WaitForExit();
            if (python.ExitCode == 0 && prefix.Length > 0) return prefix;
        }
        catch (System.ComponentModel.Win32Exception) { }
        throw new InvalidOperationException("--sys-prefix needs the Python environment that runs Jupyter (activate it, or set VIRTUAL_ENV / CONDA_PREFIX), or use --user or --prefix DIR");
    }

    /// <summary>Writes both kernelspecs (kernel.json and logos, each file atomically) into <paramref name="dataDir"/>/kernels; returns their folders.</summary>
    public static IReadOnlyList<string> Install(string dataDir, IReadOnlyList<string> hnCommand)
    {
        var written = new List<string>();
        foreach (var spec in KernelSpec.All)
        {
            var folder = Path.Combine(dataDir, "kernels", spec.Name);
            Directory.CreateDirectory(folder);
            foreach (var logo in new[] { "logo-32x32.png", "logo-64x64.png" })
                AtomicFile.Write(Path.Combine(folder, logo), stream =>
                {
                    using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(logo) ?? throw new InvalidOperationException($"{logo} is missing from {Assembly.GetExecutingAssembly().Location}");
                    resource.CopyTo(stream);
                });
            // kernel.json last: a front end that lists kernels meanwhile sees the old spec or the new one, never half of one.
            AtomicFile.WriteAllText(Path.Combine(folder, "kernel.json"), spec.ToJson(hnCommand).ToJsonString(new() { WriteIndented = true }) + "\n");
            written.Add(folder);
        }
        return written;
    }

    /// <summary>The folders Jupyter searches for kernelspecs, in its order (JUPYTER_PATH, the user's, then the system's).</summary>
    public static IReadOnlyList<string> SearchPath()
    {
        var dirs = (Environment.GetEnvironmentVariable("JUPYTER_PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        dirs.Add(UserDataDir());
        foreach (var variable in new[] { "CONDA_PREFIX", "VIRTUAL_ENV" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } prefix) dirs.Add(PrefixDataDir(prefix));
        if (!OperatingSystem.IsWindows()) dirs.AddRange(["/usr/local/share/jupyter", "/usr/share/jupyter"]);
        return dirs.Select(Path.GetFullPath).Distinct().ToList();
    }

    /// <summary>The kit's kernelspecs found on <see cref="SearchPath"/>: (name, folder).</summary>
    public static IReadOnlyList<(string Name, string Folder)> Find() =>
        SearchPath().SelectMany(dir => KernelSpec.All.Select(spec => (spec.Name, Folder: Path.Combine(dir, "kernels", spec.Name))))
            .Where(found => File.Exists(Path.Combine(found.Folder, "kernel.json"))).ToList();

    /// <summary>Removes both kernelspecs from <paramref name="dataDir"/>; returns the folders removed.</summary>
    public static IReadOnlyList<string> Remove(string dataDir)
    {
        var removed = new List<string>();
        foreach (var spec in KernelSpec.All)
        {
            var folder = Path.Combine(dataDir, "kernels", spec.Name);
            if (!Directory.Exists(folder)) continue;
            Directory.Delete(folder, recursive: true);
            removed.Add(folder);
        }
        return removed;
    }
}
