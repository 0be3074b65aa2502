using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HardNegatives.Data;

namespace HardNegatives.Generation;

/// <summary>What one (query, positive) item cost and how it was made; stored in the cache and in the triples' options.</summary>
/// <param name="Seeds">The seed of each model call, in order (the base seed plus the call's round, see <see cref="GenerationOptions.Seed"/>).</param>
/// <param name="Attempts">HTTP requests sent for the item, retries included.</param>
/// <param name="Calls">Answers received (each a paid completion).</param>
/// <param name="LatencyMs">Sum of the answered calls' latencies.</param>
/// <param name="Endpoints">Servers that answered, as labels without credentials.</param>
/// <param name="Rejections">Generated passages rejected, by <see cref="RejectionReason"/> name, plus <c>Unparseable</c> answers.</param>
/// <param name="Retries">Transient failures retried, by kind (<c>429</c>, <c>5xx</c>, <c>timeout</c>, <c>connection</c>).</param>
public sealed record GenerationRecord(
    string Model,
    string TemplateId,
    int TemplateVersion,
    double? Temperature,
    double? TopP,
    int? MaxOutputTokens,
    IReadOnlyList<long> Seeds,
    long InputTokens,
    long OutputTokens,
    double LatencyMs,
    IReadOnlyList<string> Endpoints,
    int Attempts,
    int Calls,
    IReadOnlyDictionary<string, int> Rejections,
    IReadOnlyDictionary<string, int> Retries);

/// <summary>One finished or failed item in the generation cache.</summary>
/// <param name="Status"><c>done</c> (kept, never requested again) or <c>failed</c> (requested again on the next run).</param>
public sealed record GenerationCacheEntry(
    string Key,
    string QueryId,
    string PositiveId,
    string Status,
    IReadOnlyList<string> Negatives,
    GenerationRecord Record,
    string? Error = null,
    DateTimeOffset? CompletedAt = null)
{
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>
/// Append-only JSONL cache of generated items, keyed by <see cref="KeyOf"/>. Every entry is written as one line, flushed
/// and fsynced before the item counts as done, so a run killed at any moment loses at most the requests in flight. On
/// open, a torn last line (no newline, or not JSON: the process died mid-write) is cut off; a bad line anywhere else is
/// corruption and reported with its line number. Later lines win, so a failed item that later succeeds is done.
/// </summary>
public sealed class GenerationCache : IDisposable
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    readonly FileStream _stream;
    readonly FileStream _lock;
    readonly Dictionary<string, GenerationCacheEntry> _entries = new(StringComparer.Ordinal);
    readonly object _writeGate = new();
    readonly object _flushGate = new();
    long _length;   // where the next line goes
    long _written;  // lines handed to the OS, in file order
    long _durable;  // lines known to be on disk
    Task? _flushing;

    GenerationCache(string path, FileStream stream, FileStream lockFile, int truncatedBytes)
    {
        Path = path;
        _stream = stream;
        _lock = lockFile;
        _length = stream.Length;
        TruncatedBytes = truncatedBytes;
    }

    public string Path { get; }

    /// <summary>Bytes of a torn last line cut off when the cache was opened (0 when the file was clean).</summary>
    public int TruncatedBytes { get; }

    /// <summary>The latest entry per key.</summary>
    public IReadOnlyDictionary<string, GenerationCacheEntry> Entries { get { lock (_entries) return new Dictionary<string, GenerationCacheEntry>(_entries); } }

    public bool TryGetDone(string key, out GenerationCacheEntry entry)
    {
        // A "done" entry without negatives (written by older versions for unusable answers) is not finished: ask again.
        lock (_entries) return _entries.TryGetValue(key, out entry!) && entry.Status == GenerationCacheEntry.Done && entry.Negatives.Count > 0;
    }

    /// <summary>
    /// Opens (creating if needed) the cache at <paramref name="path"/> and repairs a torn last line. One run at a time may
    /// use a cache: the lock file <c>&lt;path&gt;.lock</c> is held exclusively for the life of the cache, and a second run
    /// gets a clear error before it sends any request (two runs would pay twice for every item and interleave their lines).
    /// </summary>
    public static GenerationCache Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var lockFile = TakeLock(full);
        FileStream stream;
        try { stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16); }
        catch { lockFile.Dispose(); throw; }
        try
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            var entries = new List<GenerationCacheEntry>();
            var good = 0; // end of the last complete, valid line
            var lineNumber = 0;
            var truncated = 0;
            var missingNewline = false;
            while (good < bytes.Length)
            {
                lineNumber++;
                var newline = Array.IndexOf(bytes, (byte)'\n', good);
                var end = newline < 0 ? bytes.Length : newline;
                var line = Encoding.UTF8.GetString(bytes, good, end - good);
                GenerationCacheEntry? entry = null;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    try { entry = JsonSerializer.Deserialize<GenerationCacheEntry>(line, Json); }
                    catch (JsonException) { entry = null; }
                    if (entry is { Key: null } or { Status: null } or { Negatives: null } or { Record: null }) entry = null; // JSON, but not an entry
                    if (entry is null)
                    {
                        var isLast = newline < 0 || bytes.AsSpan(newline + 1).IndexOfAnyExcept((byte)'\n', (byte)'\r', (byte)' ') < 0;
                        if (!isLast) throw new DataFormatException(full, lineNumber, "corrupt generation cache line; delete the line or the file to regenerate those items");
                        truncated = bytes.Length - good;
                        break;
                    }
                    entries.Add(entry);
                    if (newline < 0) missingNewline = true; // the write stopped just before its line break
                }
                good = end + 1;
            }
            if (truncated > 0)
            {
                stream.SetLength(bytes.Length - truncated);
                stream.Flush(flushToDisk: true);
            }
            stream.Seek(0, SeekOrigin.End);
            if (missingNewline)
            {
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }
            var cache = new GenerationCache(full, stream, lockFile, truncated);
            foreach (var e in entries) cache._entries[e.Key] = e;
            return cache;
        }
        catch
        {
            stream.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>The lock file stays in place (deleting it on close would let a third run lock a new file while a second holds the old one).</summary>
    static FileStream TakeLock(string cachePath)
    {
        var lockPath = cachePath + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidOperationException(
                $"another run is using the generation cache {cachePath} (lock {lockPath}); wait for it to finish, " +
                "or give this run its own --cache (two runs on one cache would pay twice for every item)", e);
        }
    }

    /// <summary>
    /// Appends one entry and returns once it is on disk. Lines are written one at a time (a write to the page cache is
    /// cheap) but fsynced together: an append that finds a flush running waits for the next one, which covers every line
    /// written meanwhile (group commit), so many items finishing at once do not queue behind one fsync each.
    /// </summary>
    public async Task AppendAsync(GenerationCacheEntry entry, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        long mine;
        // Not cancellable once started: a half-written line is what the torn-line repair exists for, not a goal.
        lock (_writeGate)
        {
            RandomAccess.Write(_stream.SafeFileHandle, line, _length);
            _length += line.Length;
            mine = ++_written;
        }
        while (true)
        {
            Task flush;
            lock (_flushGate)
            {
                if (_durable >= mine) break;
                flush = _flushing ??= FlushAsync();
            }
            await flush;
        }
        lock (_entries) _entries[entry.Key] = entry;
    }

    /// <summary>Starts one fsync covering every line written so far; called under <see cref="_flushGate"/>.</summary>
    Task FlushAsync()
    {
        var target = Interlocked.Read(ref _written);
        return Task.Run(() =>
        {
            var ok = false;
            try
            {
                RandomAccess.FlushToDisk(_stream.SafeFileHandle);
                ok = true;
            }
            finally
            {
                // Runs after the caller stored this task in _flushing: the caller holds _flushGate until then.
                lock (_flushGate)
                {
                    if (ok && target > _durable) _durable = target;
                    _flushing = null;
                }
            }
        });
    }

    /// <summary>
    /// The cache key of one item: SHA-256 (hex) of a canonical JSON of the model, template id and version, every request
    /// parameter that changes the answer (negatives asked, temperature, top-p, seed, max tokens, JSON schema, thinking
    /// control), the query and the positive. Quality-filter thresholds are not part of it: they do not change what the
    /// server is asked.
    /// </summary>
    public static string KeyOf(string model, PromptTemplate template, GenerationOptions options, string query, string positive)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            "hn-generation-cache-v1", model, template.Id, template.Version,
            options.NumNegatives, options.Temperature, options.TopP, options.Seed, options.MaxOutputTokens,
            options.UseJsonSchema, (options.Thinking ?? template.Thinking).ToString(), query, positive,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public void Dispose()
    {
        _stream.Dispose();
        _lock.Dispose();
    }
}
