namespace HardNegatives.Negatives;

/// <summary>
/// Atomic write for Parquet: like <c>AtomicFile</c> (temporary sibling, then rename), but the stream is opened for
/// reading too, because Parquet.Net appends a row group by re-reading the footer it wrote.
/// </summary>
static class ParquetFile
{
    public static async Task WriteAtomicAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream);
                cancellationToken.ThrowIfCancellationRequested();
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
