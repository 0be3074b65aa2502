using System.IO.Compression;
using System.Text;

namespace HardNegatives.Data;

/// <summary>Opens text data files, transparently decompressing <c>.gz</c>, and enumerates their lines with numbers.</summary>
public static class TextFiles
{
    /// <summary>Opens <paramref name="path"/> for reading (gzip when it ends in .gz) as UTF-8.</summary>
    public static StreamReader OpenText(string path)
    {
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 1 << 16);
    }

    /// <summary>Lines with their 1-based numbers; CR of CRLF endings is removed.</summary>
    public static IEnumerable<(long Number, string Text)> ReadLines(string path)
    {
        using var reader = OpenText(path);
        long number = 0;
        while (reader.ReadLine() is { } line) yield return (++number, line);
    }

    /// <summary>The first of <paramref name="stem"/> or <paramref name="stem"/>.gz that exists, or null.</summary>
    public static string? FindPlainOrGzip(string stem) =>
        File.Exists(stem) ? stem : File.Exists(stem + ".gz") ? stem + ".gz" : null;
}
