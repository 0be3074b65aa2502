using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace HardNegatives.Models.Hub;

/// <summary>
/// Downloads model files from the Hugging Face Hub into a cache laid out like <c>huggingface_hub</c>'s, so both share it:
/// <c>models--org--name/blobs/&lt;etag&gt;</c> (content), <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c> (relative symlinks to blobs),
/// <c>refs/&lt;revision&gt;</c> (the commit a branch or tag resolved to). <c>org/name</c> maps to
/// <c>{endpoint}/{org/name}/resolve/{revision}/{file}</c>. Downloads go to <c>blobs/&lt;etag&gt;.incomplete</c> and resume
/// with a Range request; the size (and the SHA-256 for LFS files, whose ETag is it) is verified before the blob is moved
/// into place. <c>HF_TOKEN</c> is sent as a Bearer header to the Hub's own host only; <c>HF_HUB_OFFLINE</c> serves from the cache.
/// </summary>
public sealed partial class HfHub : IDisposable
{
    readonly HttpClient _http;
    readonly Uri _endpoint;
    readonly string? _token;

    public HfHub(HfHubOptions? options = null, HttpMessageHandler? handler = null)
    {
        Options = options ?? new HfHubOptions();
        _endpoint = new Uri(Options.EffectiveEndpoint + "/");
        _token = Options.EffectiveToken;
        // Redirects are followed by hand so the token never travels to another host (the Hub redirects LFS files to a CDN).
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Options.Timeout ?? TimeSpan.FromMinutes(10),
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("hardnegatives", "0.1"));
    }

    public HfHubOptions Options { get; }

    /// <summary><c>models--org--name</c>: the cache folder of a model repo.</summary>
    public static string RepoFolderName(string repoId) => "models--" + ValidateRepoId(repoId).Replace("/", "--");

    /// <summary>The cache folder of <paramref name="repoId"/>.</summary>
    public string RepoCacheDir(string repoId) => Path.Combine(Options.EffectiveCacheDir, RepoFolderName(repoId));

    /// <summary>The file URL: <c>{endpoint}/{repo}/resolve/{revision}/{file}</c>.</summary>
    public Uri FileUrl(string repoId, string file, string revision = "main") =>
        new(_endpoint, $"{ValidateRepoId(repoId)}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}");

    /// <summary>
    /// True for a name that can be a model on the Hub as the kit asks for it: <c>owner/name</c>. A bare name (the Hub's
    /// legacy ids such as <c>bert-base-uncased</c>) is taken only when the cache already holds it, so a typo in a local
    /// name is never sent to the Hub.
    /// </summary>
    public static bool IsOwnerNameId(string name) => name.Contains('/') && RepoIdPattern().IsMatch(name) && !name.Contains("--") && !name.Contains("..");

    /// <summary>Repo ids of the models in the Hub cache (from its <c>models--owner--name</c> folders).</summary>
    public static IReadOnlyList<string> CachedRepoIds(HfHubOptions? options = null)
    {
        var cache = (options ?? new HfHubOptions()).EffectiveCacheDir;
        return Directory.Exists(cache)
            ? Directory.EnumerateDirectories(cache, "models--*").Select(d => Path.GetFileName(d)["models--".Length..].Replace("--", "/")).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    static string ValidateRepoId(string repoId) => RepoIdPattern().IsMatch(repoId) ? repoId
        : throw new ArgumentException($"'{repoId}' is not a Hub repo id: expected org/name (letters, digits, '-', '_', '.')");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    /// <summary>
    /// Downloads <paramref name="files"/> of a repo (skipping optional ones the repo lacks) and returns the snapshot folder,
    /// which then looks like a local model folder.
    /// </summary>
    public async Task<string> SnapshotAsync(string repoId, IReadOnlyList<string> files, IReadOnlyList<string>? optionalFiles = null,
        string revision = "main", IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string? folder = null;
        foreach (var file in files)
            folder = Path.GetDirectoryName(await DownloadFileAsync(repoId, file, revision, progress, cancellationToken));
        foreach (var file in optionalFiles ?? [])
        {
            try { await DownloadFileAsync(repoId, file, revision, progress, cancellationToken); }
            catch (HubFileNotFoundException) { }
        }
        return folder is null ? throw new ArgumentException("no files requested") : SnapshotRoot(repoId, folder, files[0]);
    }

    static string SnapshotRoot(string repoId, string fileFolder, string firstFile)
    {
        int depth = firstFile.Count(c => c == '/');
        var root = fileFolder;
        for (int i = 0; i < depth; i++) root = Path.GetDirectoryName(root)!;
        return root;
    }

    /// <summary>
    /// The cached path of <paramref name="file"/> (in <c>snapshots/&lt;commit&gt;/</c>), downloading it first unless the
    /// cache already has the blob. Offline: the cache only, resolving the revision through <c>refs/</c>.
    /// </summary>
    public async Task<string> DownloadFileAsync(string repoId, string file, string revision = "main",
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var repoDir = RepoCacheDir(repoId);
        if (file.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"'{file}' is not a plain file path inside a repo");
        if (Options.EffectiveOffline) return FromCache(repoId, repoDir, file, revision);

        var meta = await HeadAsync(repoId, file, revision, cancellationToken);
        var commit = meta.Commit ?? (CommitPattern().IsMatch(revision) ? revision : throw new InvalidDataException(
            $"{FileUrl(repoId, file, revision)}: the server sent no X-Repo-Commit header; is {Options.EffectiveEndpoint} a Hugging Face Hub?"));
        var blobs = Path.Combine(repoDir, "blobs");
        var blob = Path.Combine(blobs, meta.ETag);
        var pointer = Path.Combine(repoDir, "snapshots", commit, file.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(blobs);
        if (!File.Exists(blob)) await DownloadBlobAsync(meta, blob, file, progress, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
        if (!File.Exists(pointer)) Link(pointer, blob);
        if (revision != commit)
        {
            var refPath = Path.Combine(repoDir, "refs", revision);
            Directory.CreateDirectory(Path.GetDirectoryName(refPath)!);
            if (!File.Exists(refPath) || File.ReadAllText(refPath).Trim() != commit) Data.AtomicFile.WriteAllText(refPath, commit);
        }
        return pointer;
    }

    string FromCache(string repoId, string repoDir, string file, string revision)
    {
        var commit = revision;
        var refPath = Path.Combine(repoDir, "refs", revision);
        if (!CommitPattern().IsMatch(revision))
            commit = File.Exists(refPath) ? File.ReadAllText(refPath).Trim()
                : throw new FileNotFoundException($"offline (HN_OFFLINE or HF_HUB_OFFLINE is set) and {repoId}@{revision} is not in the cache {Options.EffectiveCacheDir}; download it once online or unset HN_OFFLINE/HF_HUB_OFFLINE", refPath);
        var pointer = Path.Combine(repoDir, "snapshots", commit, file.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(pointer) ? pointer
            : throw new HubFileNotFoundException($"offline (HN_OFFLINE or HF_HUB_OFFLINE is set) and {repoId}@{revision} has no cached {file} (looked in {pointer}); download it once online or unset HN_OFFLINE/HF_HUB_OFFLINE");
    }

    static void Link(string pointer, string blob)
    {
        try { File.CreateSymbolicLink(pointer, Path.GetRelativePath(Path.GetDirectoryName(pointer)!, blob)); }
        catch (IOException) { File.Copy(blob, pointer, overwrite: true); } // file systems without symlinks, as huggingface_hub falls back
        catch (UnauthorizedAccessException) { File.Copy(blob, pointer, overwrite: true); }
    }

    sealed record FileMetadata(Uri Location, string ETag, string? Commit, long? Size);

    async Task<FileMetadata> HeadAsync(string repoId, string file, string revision, CancellationToken cancellationToken)
    {
        var url = FileUrl(repoId, file, revision);
        string? commit = null, etag = null;
        long? size = null;
        for (int hop = 0; hop < 10; hop++)
        {
            using var response = await SendAsync(HttpMethod.Head, url, null, cancellationToken);
            var h = response.Headers;
            commit ??= Header(h, "X-Repo-Commit");
            etag ??= Header(h, "X-Linked-Etag") ?? h.ETag?.Tag;
            if (size is null && Header(h, "X-Linked-Size") is { } linked && long.TryParse(linked, out var ls)) size = ls;
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                // A redirect that carries the file's metadata (LFS → CDN) ends the HEAD walk: download from there.
                if (etag is not null && next.Host != _endpoint.Host) return new FileMetadata(next, NormalizeEtag(etag), commit, size);
                url = next;
                continue;
            }
            Check(response, repoId, file, revision);
            size ??= response.Content.Headers.ContentLength;
            if (etag is null) throw new InvalidDataException($"{url}: the server sent no ETag; cannot cache the file");
            return new FileMetadata(url, NormalizeEtag(etag), commit, size);
        }
        throw new HttpRequestException($"{FileUrl(repoId, file, revision)}: too many redirects");
    }

    static string? Header(HttpResponseHeaders headers, string name) => headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;

    static string NormalizeEtag(string etag)
    {
        var e = etag.Trim();
        if (e.StartsWith("W/", StringComparison.Ordinal)) e = e[2..];
        e = e.Trim('"');
        if (e.Length == 0 || e.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) throw new InvalidDataException($"unusable ETag '{etag}'");
        return e;
    }

    void Check(HttpResponseMessage response, string repoId, string file, string revision)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK or HttpStatusCode.PartialContent: return;
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new HttpRequestException($"{repoId}: access denied ({(int)response.StatusCode}); the repo may be gated or private: accept its terms on the Hub and set HF_TOKEN"
                    + (_token is null ? " (no token is set)" : " (a token was sent)"), null, response.StatusCode);
            case HttpStatusCode.NotFound:
                throw new HubFileNotFoundException($"{repoId}@{revision} has no file {file} (404), or the repo does not exist");
            default:
                throw new HttpRequestException($"{FileUrl(repoId, file, revision)}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, long? from, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, url);
        if (_token is not null && url.Host == _endpoint.Host && url.Port == _endpoint.Port)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (from is > 0) request.Headers.Range = new RangeHeaderValue(from, null);
        try { return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken); }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new HttpRequestException($"cannot reach {url.Scheme}://{url.Authority} ({e.Message}); pass a local model folder, or set HF_HUB_OFFLINE=1 to use the cache {Options.EffectiveCacheDir}", e);
        }
    }

    async Task DownloadBlobAsync(FileMetadata meta, string blob, string file, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var incomplete = blob + ".incomplete";
        long have = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
        if (meta.Size is { } expected && have > expected) { File.Delete(incomplete); have = 0; }
        var url = meta.Location;
        HttpResponseMessage? response = null;
        try
        {
            for (int hop = 0; ; hop++)
            {
                response = await SendAsync(HttpMethod.Get, url, have, cancellationToken);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location && hop < 10)
                {
                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    response.Dispose();
                    continue;
                }
                break;
            }
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && meta.Size == have) { }
            else
            {
                if (response.StatusCode != HttpStatusCode.PartialContent) have = 0; // the server ignored the Range: start over
                if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode} downloading {file}", null, response.StatusCode);
                await using var output = new FileStream(incomplete, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
                await using var input = await response.Content.ReadAsStreamAsync(cancellationToken);
                var buffer = new byte[1 << 20];
                long bytes = have;
                int n;
                while ((n = await input.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                    bytes += n;
                    progress?.Report(new HubDownloadProgress(file, bytes, meta.Size));
                }
            }
        }
        finally { response?.Dispose(); }

        long actual = new FileInfo(incomplete).Length;
        if (meta.Size is { } size && actual != size)
        {
            if (actual > size) File.Delete(incomplete); // cannot be resumed into a correct file
            throw new InvalidDataException($"{file}: downloaded {actual} bytes but the Hub announced {size}; run again to resume");
        }
        if (Sha256Pattern().IsMatch(meta.ETag))
        {
            await using var stream = File.OpenRead(incomplete);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (sha != meta.ETag)
            {
                stream.Close();
                File.Delete(incomplete);
                throw new InvalidDataException($"{file}: SHA-256 {sha} does not match the Hub's {meta.ETag}; the partial download was removed, run again");
            }
        }
        File.Move(incomplete, blob, overwrite: true);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The Hub (or the offline cache) has no such file.</summary>
public sealed class HubFileNotFoundException(string message) : FileNotFoundException(message);
