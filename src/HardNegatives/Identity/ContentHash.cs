using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace HardNegatives.Identity;

/// <summary>
/// SHA-256 of what a file or folder holds (not its size or date), so an artifact made from an input is redone when the input's
/// bytes change. Hashes are remembered per process for a file whose length and last-write time are unchanged.
/// </summary>
public static class ContentHash
{
    static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), string> Known = new();

    /// <summary>Hex SHA-256 of a file's bytes (a .gz file is hashed as stored).</summary>
    public static string OfFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"cannot hash {path}: no such file", path);
        return Known.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), _ =>
        {
            using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }

    /// <summary>A file's hash, or for a folder the hash of every file's relative path and hash (sorted); null when neither exists.</summary>
    public static string? OfPath(string path)
    {
        if (File.Exists(path)) return OfFile(path);
        if (!Directory.Exists(path)) return null;
        var root = Path.GetFullPath(path);
        var listing = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
            listing.Append(file).Append(' ').Append(OfFile(Path.Combine(root, file))).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
    }
}
