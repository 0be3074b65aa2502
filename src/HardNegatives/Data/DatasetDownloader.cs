using System.Net;
using System.Security.Cryptography;

namespace HardNegatives.Data;

/// <summary>Options for <see cref="DatasetDownloader"/>.</summary>
/// <param name="CacheDirectory">Where datasets go, one folder per name (default <see cref="KitPaths.DatasetCache"/>).</param>
/// <param name="BaseUrl">Fetch archives from here instead of the registry's host, keeping the file name (mirrors, tests).</param>
/// <param name="Offline">Never touch the network (default <see cref="KitPaths.Offline"/>, i.e. <c>HN_OFFLINE=1</c>).</param>
/// <param name="MaxAttempts">Connections tried per download; each one resumes where the last stopped (default 5).</param>
/// <param name="RetryDelay">Wait before the next attempt, doubled each time (default 2 s).</param>
/// <param name="KeepArchive">Keep the verified .zip next to the cache after extraction (default false: it is deleted).</param>
public sealed record DownloadOptions(
    string? CacheDirectory = null,
    Uri? BaseUrl = null,
    bool? Offline = null,
    int MaxAttempts = 5,
    TimeSpan? RetryDelay = null,
    bool KeepArchive = false)
{
    public string Cache => CacheDirectory ?? KitPaths.DatasetCache;
    public bool IsOffline => Offline ?? KitPaths.Offline;
}

/// <summary>The steps of a fetch, for progress bars.</summary>
public enum FetchStage { Download, Verify, Extract }

/// <summary>Progress of a fetch: bytes done of <paramref name="Total"/> (null while unknown).</summary>
public sealed record FetchProgress(string Dataset, FetchStage Stage, long Done, long? Total);

/// <summary>What a fetch did.</summary>
/// <param name="AlreadyPresent">The dataset was in the cache; nothing was downloaded.</param>
/// <param name="ChecksumVerified">The archive matched a published checksum (false only when the registry has none).</param>
public sealed record FetchResult(string Name, string Directory, bool AlreadyPresent, long ArchiveBytes, string? Md5, string? Sha256, bool ChecksumVerified);

/// <summary>Thrown in offline mode when something would have to be downloaded; the message says what and where.</summary>
public sealed class OfflineModeException(string message) : InvalidOperationException(message);

/// <summary>
/// Downloads a registered dataset into the cache: resumable HTTP download (<c>.part</c> file and Range requests, so a
/// dropped connection or an interrupted run continues where it stopped), MD5/SHA-256 verification, zip-slip-safe
/// extraction into a temporary folder, then one rename into <c>cache/&lt;name&gt;</c>, so the cache never holds half a dataset.
/// </summary>
public sealed class DatasetDownloader(HttpClient http, DownloadOptions? options = null)
{
    readonly DownloadOptions _options = options ?? new DownloadOptions();

    /// <summary>Fetches the registry entry named <paramref name="name"/>.</summary>
    public Task<FetchResult> FetchAsync(string name, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAsync(DatasetRegistry.Find(name), progress, cancellationToken);

    /// <summary>Where <paramref name="entry"/> is downloaded from, after applying <see cref="DownloadOptions.BaseUrl"/>.</summary>
    public Uri SourceOf(DatasetEntry entry) =>
        _options.BaseUrl is { } b ? new Uri(b.AbsoluteUri.EndsWith('/') ? b : new Uri(b.AbsoluteUri + "/"), entry.ArchiveName) : entry.Url;

    /// <summary>The dataset's folder in the cache (whether or not it is there yet).</summary>
    public string TargetOf(DatasetEntry entry) => Path.Combine(_options.Cache, entry.Name);

    public async Task<FetchResult> FetchAsync(DatasetEntry entry, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = TargetOf(entry);
        if (Directory.Exists(target)) return new FetchResult(entry.Name, target, true, 0, null, null, false);

        var downloads = Path.Combine(_options.Cache, ".downloads");
        var part = Path.Combine(downloads, entry.ArchiveName + ".part");
        var url = SourceOf(entry);
        if (_options.IsOffline)
        {
            long have = File.Exists(part) ? new FileInfo(part).Length : 0;
            throw new OfflineModeException(
                $"offline (HN_OFFLINE=1 or --offline): dataset '{entry.Name}' is not in the cache ({target}); missing: {url}" +
                (entry.ArchiveBytes is { } size ? $" ({size:N0} bytes)" : "") + (have > 0 ? $", {have:N0} bytes already in {part}" : "") +
                $". Run `hn data fetch {entry.Name}` with network access, or unzip that archive so that {target}/corpus.jsonl exists.");
        }

        Directory.CreateDirectory(downloads);
        // One fetch per dataset at a time: a second process would corrupt the .part file.
        await using var lockFile = OpenLock(Path.Combine(downloads, entry.Name + ".lock"), entry.Name);
        // Holding the lock, any staging folder of this dataset was left by a run that was killed mid-extraction.
        foreach (var stale in Directory.GetDirectories(_options.Cache, $".tmp-{entry.Name}-*")) Directory.Delete(stale, recursive: true);

        await DownloadAsync(url, part, entry, progress, cancellationToken);
        var (md5, sha256, bytes) = await VerifyAsync(part, entry, url, progress, cancellationToken);
        var archive = Path.Combine(downloads, entry.ArchiveName);
        File.Move(part, archive, overwrite: true);
        try
        {
            Install(archive, target, entry, progress, cancellationToken);
        }
        catch
        {
            File.Delete(archive); // a verified archive that cannot be installed is not worth keeping around half-used
            throw;
        }
        if (!_options.KeepArchive) File.Delete(archive);
        return new FetchResult(entry.Name, target, false, bytes, md5, sha256, entry.Md5 is not null || entry.Sha256 is not null);
    }

    async Task DownloadAsync(Uri url, string part, DatasetEntry entry, IProgress<FetchProgress>? progress, CancellationToken ct)
    {
        var delay = _options.RetryDelay ?? TimeSpan.FromSeconds(2);
        long? total = entry.ArchiveBytes;
        for (int attempt = 1; ; attempt++)
        {
            long have = File.Exists(part) ? new FileInfo(part).Length : 0;
            if (total is { } t && have == t) return;
            if (total is { } t2 && have > t2) { File.Delete(part); have = 0; }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (have > 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(have, null);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    // Our .part is at (or past) the end of the file the server has.
                    if (response.Content.Headers.ContentRange?.Length == have) return;
                    File.Delete(part);
                    continue;
                }
                if ((int)response.StatusCode is >= 400 and < 500)
                    throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}; check the dataset name or --base-url", null, response.StatusCode);
                response.EnsureSuccessStatusCode();
                bool resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
                if (!resumed) have = 0; // the server ignored Range: start over
                total = resumed ? response.Content.Headers.ContentRange!.Length ?? total : response.Content.Headers.ContentLength ?? total;
                // The registry knows the archive's size: a server announcing another is serving another file; stop before downloading it.
                if (entry.ArchiveBytes is { } known && total is { } announced && announced != known)
                {
                    File.Delete(part);
                    throw new InvalidDataException(TooLarge(url, entry, $"the server announces {announced:N0} bytes"));
                }
                await using (var file = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await using (var body = await response.Content.ReadAsStreamAsync(ct))
                {
                    var buffer = new byte[1 << 16];
                    long done = have;
                    int n;
                    while ((n = await body.ReadAsync(buffer, ct)) > 0)
                    {
                        done += n;
                        if (entry.ArchiveBytes is { } known2 && done > known2)
                        {
                            await file.DisposeAsync();
                            File.Delete(part);
                            throw new InvalidDataException(TooLarge(url, entry, $"the server sent more than {known2:N0} bytes"));
                        }
                        await file.WriteAsync(buffer.AsMemory(0, n), ct);
                        progress?.Report(new FetchProgress(entry.Name, FetchStage.Download, done, total));
                    }
                }
                long got = new FileInfo(part).Length;
                if (total is null || got == total) return;
                if (got > total) { File.Delete(part); throw new IOException($"{url}: received {got:N0} bytes, more than the {total:N0} announced"); }
                throw new IOException($"{url}: connection closed after {got:N0} of {total:N0} bytes");
            }
            catch (Exception e) when (e is IOException or HttpRequestException { StatusCode: null or >= HttpStatusCode.InternalServerError } && !ct.IsCancellationRequested)
            {
                if (attempt >= _options.MaxAttempts)
                {
                    long kept = File.Exists(part) ? new FileInfo(part).Length : 0;
                    throw new IOException($"{url}: download failed after {attempt} attempts ({e.Message}); {kept:N0} bytes kept in {part}, rerun `hn data fetch {entry.Name}` to resume", e);
                }
                await Task.Delay(delay * (1 << (attempt - 1)), ct);
            }
        }
    }

    static string TooLarge(Uri url, DatasetEntry entry, string what) =>
        $"{url}: {what}, but the registry knows {entry.ArchiveName} as {entry.ArchiveBytes:N0} bytes; the download was stopped and deleted. " +
        "The file upstream changed or the URL (--base-url) points at another file.";

    static async Task<(string Md5, string Sha256, long Bytes)> VerifyAsync(string part, DatasetEntry entry, Uri url, IProgress<FetchProgress>? progress, CancellationToken ct)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0, size = new FileInfo(part).Length;
        await using (var file = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await file.ReadAsync(buffer, ct)) > 0)
            {
                md5.AppendData(buffer, 0, n);
                sha.AppendData(buffer, 0, n);
                bytes += n;
                progress?.Report(new FetchProgress(entry.Name, FetchStage.Verify, bytes, size));
            }
        }
        var gotMd5 = Convert.ToHexStringLower(md5.GetHashAndReset());
        var gotSha = Convert.ToHexStringLower(sha.GetHashAndReset());
        string? problem =
            entry.Md5 is { } m && !m.Equals(gotMd5, StringComparison.OrdinalIgnoreCase) ? $"md5 {gotMd5}, expected {m}"
            : entry.Sha256 is { } s && !s.Equals(gotSha, StringComparison.OrdinalIgnoreCase) ? $"sha256 {gotSha}, expected {s}"
            : entry.ArchiveBytes is { } b && b != bytes ? $"{bytes:N0} bytes, expected {b:N0}"
            : null;
        if (problem is not null)
        {
            File.Delete(part);
            throw new InvalidDataException($"{url}: checksum mismatch ({problem}); the download was deleted. Rerun to download again; if it repeats, the file upstream changed or a proxy altered it.");
        }
        return (gotMd5, gotSha, bytes);
    }

    void Install(string archive, string target, DatasetEntry entry, IProgress<FetchProgress>? progress, CancellationToken ct)
    {
        var staging = Path.Combine(_options.Cache, $".tmp-{entry.Name}-{Guid.NewGuid():N}");
        try
        {
            long total = 0;
            using (var zip = System.IO.Compression.ZipFile.OpenRead(archive)) total = zip.Entries.Sum(e => e.Length);
            SafeZipExtractor.ExtractTo(archive, staging, new SyncProgress<long>(b => progress?.Report(new FetchProgress(entry.Name, FetchStage.Extract, b, total))), ct);
            var root = DatasetRootOf(staging)
                ?? throw new InvalidDataException($"{archive}: no corpus.jsonl in the archive (expected BEIR's layout: {entry.Name}/corpus.jsonl, queries.jsonl, qrels/)");
            Directory.Move(root, target); // same file system: atomic, so the cache never shows a half-extracted dataset
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The folder holding corpus.jsonl: the staging folder itself or its single top folder (BEIR zips hold <c>name/…</c>);
    /// for CQADupStack, a folder whose subfolders are datasets.</summary>
    static string? DatasetRootOf(string staging)
    {
        static bool IsDataset(string d) => TextFiles.FindPlainOrGzip(Path.Combine(d, "corpus.jsonl")) is not null;
        static bool HoldsDatasets(string d) => Directory.GetDirectories(d).Any(IsDataset);
        if (IsDataset(staging)) return staging;
        var dirs = Directory.GetDirectories(staging).Where(d => Path.GetFileName(d) != "__MACOSX").ToList();
        if (dirs.Count == 1 && (IsDataset(dirs[0]) || HoldsDatasets(dirs[0]))) return dirs[0];
        return HoldsDatasets(staging) ? staging : null;
    }

    static FileStream OpenLock(string path, string name)
    {
        try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
        catch (IOException) { throw new IOException($"another process is fetching '{name}' (lock: {path}); wait for it or remove the lock if none is running"); }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder reports).</summary>
    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
