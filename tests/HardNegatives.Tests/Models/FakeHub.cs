using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace HardNegatives.Tests.Models;

/// <summary>
/// A loopback stand-in for the Hugging Face Hub (HttpListener on 127.0.0.1): <c>/{repo}/resolve/{rev}/{file}</c> answers
/// HEAD and GET with the Hub's headers (X-Repo-Commit, ETag; LFS files: 302 to <c>/lfs/…</c> with X-Linked-Etag =
/// SHA-256 and X-Linked-Size), honours Range, and records every request's Authorization header.
/// </summary>
sealed class FakeHub : IDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";
    readonly HttpListener _listener = new();
    readonly Dictionary<string, (byte[] Bytes, bool Lfs)> _files = new(StringComparer.Ordinal); // "repo/file"
    readonly Task _loop;

    public FakeHub()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; }
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Endpoint { get; }
    public List<(string Method, string Path, string? Authorization, string? Range)> Requests { get; } = [];
    /// <summary>When set, GET bodies are cut after this many bytes (a dropped connection) once.</summary>
    public int? CutAfter { get; set; }
    /// <summary>When set, the announced size is off by this many bytes.</summary>
    public long SizeLie { get; set; }

    public void Add(string repo, string file, byte[] bytes, bool lfs = false) => _files[$"{repo}/{file}"] = (bytes, lfs);

    static string Sha256(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));
    static string Sha1(byte[] b) => Convert.ToHexStringLower(SHA1.HashData(b));

    async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            try { Handle(ctx); }
            catch (Exception) { try { ctx.Response.Abort(); } catch (Exception) { } }
        }
    }

    void Handle(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        var res = ctx.Response;
        var path = Uri.UnescapeDataString(req.Url!.AbsolutePath.TrimStart('/'));
        lock (Requests) Requests.Add((req.HttpMethod, path, req.Headers["Authorization"], req.Headers["Range"]));
        if (path.StartsWith("lfs/", StringComparison.Ordinal))
        {
            var key = path["lfs/".Length..];
            if (!_files.TryGetValue(key, out var lfsFile)) { res.StatusCode = 404; res.Close(); return; }
            Body(req, res, lfsFile.Bytes);
            return;
        }
        var marker = path.IndexOf("/resolve/", StringComparison.Ordinal);
        if (marker < 0) { res.StatusCode = 404; res.Close(); return; }
        var repo = path[..marker];
        var rest = path[(marker + "/resolve/".Length)..];
        var file = rest[(rest.IndexOf('/') + 1)..];
        if (repo.StartsWith("gated/", StringComparison.Ordinal) && req.Headers["Authorization"] != "Bearer secret-token") { res.StatusCode = 401; res.Close(); return; }
        if (!_files.TryGetValue($"{repo}/{file}", out var f)) { res.StatusCode = 404; res.Close(); return; }
        res.Headers["X-Repo-Commit"] = Commit;
        if (f.Lfs)
        {
            res.StatusCode = 302;
            res.Headers["X-Linked-Etag"] = $"\"{Sha256(f.Bytes)}\"";
            res.Headers["X-Linked-Size"] = (f.Bytes.Length + SizeLie).ToString();
            res.Headers["Location"] = $"{Endpoint}/lfs/{repo}/{file}";
            res.Close();
            return;
        }
        res.Headers["ETag"] = $"\"{Sha1(f.Bytes)}\"";
        Body(req, res, f.Bytes);
    }

    void Body(HttpListenerRequest req, HttpListenerResponse res, byte[] bytes)
    {
        long from = 0;
        if (req.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            from = long.Parse(range["bytes=".Length..].TrimEnd('-'));
            res.StatusCode = 206;
            res.Headers["Content-Range"] = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
        }
        res.ContentLength64 = bytes.Length - from;
        if (req.HttpMethod == "HEAD") { res.Close(); return; }
        if (CutAfter is { } cut)
        {
            CutAfter = null;
            res.OutputStream.Write(bytes, (int)from, Math.Min(cut, bytes.Length - (int)from));
            res.Abort();
            return;
        }
        res.OutputStream.Write(bytes, (int)from, bytes.Length - (int)from);
        res.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (Exception) { }
    }
}
