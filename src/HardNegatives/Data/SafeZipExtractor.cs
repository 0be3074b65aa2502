using System.IO.Compression;

namespace HardNegatives.Data;

/// <summary>
/// Extracts a zip archive only if every entry stays inside the target folder ("zip-slip": an entry named
/// <c>../x</c> or <c>/etc/x</c> must never be written). All entries are checked before anything is written.
/// </summary>
public static class SafeZipExtractor
{
    /// <summary>Extracts <paramref name="zipPath"/> into <paramref name="directory"/>; throws <see cref="InvalidDataException"/> naming the first escaping entry.</summary>
    public static void ExtractTo(string zipPath, string directory, IProgress<long>? bytesWritten = null, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(directory);
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        using var zip = ZipFile.OpenRead(zipPath);
        var targets = new List<(ZipArchiveEntry Entry, string Path)>(zip.Entries.Count);
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            var target = Path.GetFullPath(Path.Combine(root, name));
            bool inside = target == root || target.StartsWith(rootWithSeparator, StringComparison.Ordinal);
            if (Path.IsPathRooted(name) || !inside)
                throw new InvalidDataException($"{zipPath}: archive entry '{entry.FullName}' would be written outside the target folder; archive rejected (nothing extracted)");
            targets.Add((entry, target));
        }
        Directory.CreateDirectory(root);
        long written = 0;
        foreach (var (entry, target) in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\')) { Directory.CreateDirectory(target); continue; }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: false);
            written += entry.Length;
            bytesWritten?.Report(written);
        }
    }
}
