using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HardNegatives.Data;

/// <summary>
/// Temporaries the kit writes before an atomic rename (<see cref="AtomicFile"/>, BM25 index folders) are named
/// <c>&lt;target&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c>. A process killed with SIGKILL leaves them behind; this finds the ones whose
/// process is gone (or whose pid now belongs to a process started after the temporary was last written) and removes them.
/// A temporary of a live writer is never touched.
/// </summary>
public static partial class StaleTemporaries
{
    [GeneratedRegex(@"^(?<target>.+)\.(?<pid>\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TempName();

    /// <summary>Stale temporaries (files and folders) under <paramref name="root"/>, recursively; the folders are not entered.</summary>
    public static IReadOnlyList<string> Find(string root)
    {
        var found = new List<string>();
        if (!Directory.Exists(root)) return found;
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(dir).ToList(); }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException) { continue; }
            foreach (var entry in entries)
            {
                if (IsStale(entry)) found.Add(entry);
                else if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) pending.Push(entry);
            }
        }
        return found;
    }

    /// <summary>Removes the stale temporaries of <paramref name="target"/> (its siblings named <c>target.pid.guid.tmp</c>); returns how many.</summary>
    public static int CleanSiblings(string target)
    {
        var full = Path.GetFullPath(target);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) return 0;
        int removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir, Path.GetFileName(full) + ".*.tmp"))
            if (IsStale(entry) && TryDelete(entry)) removed++;
        return removed;
    }

    /// <summary>Deletes <paramref name="paths"/>; returns how many were removed.</summary>
    public static int Delete(IEnumerable<string> paths) => paths.Count(TryDelete);

    /// <summary>Bytes held by <paramref name="path"/> (a file or a folder).</summary>
    public static long SizeOf(string path) =>
        File.Exists(path) ? new FileInfo(path).Length
        : Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    public static bool IsStale(string path)
    {
        var match = TempName().Match(Path.GetFileName(path));
        if (!match.Success || !int.TryParse(match.Groups["pid"].Value, out var pid)) return false;
        if (pid == Environment.ProcessId) return false;
        var written = Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || process.StartTime.ToUniversalTime() > written; // pid reused by a newer process
        }
        catch (ArgumentException) { return true; }         // no such process
        catch (InvalidOperationException) { return true; } // exited meanwhile
    }

    static bool TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
