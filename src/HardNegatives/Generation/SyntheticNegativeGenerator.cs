using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HardNegatives.Data;
using HardNegatives.Negatives;
using Microsoft.Extensions.AI;

namespace HardNegatives.Generation;

/// <summary>The triples made by a run and what it cost.</summary>
public sealed record GenerationResult(IReadOnlyList<Triple> Triples, GenerationSummary Summary);

/// <summary>
/// Generates hard negatives for (query, positive) pairs with any <see cref="IChatClient"/>: an OpenAI-compatible server,
/// Ollama, an in-process model, or an <see cref="EndpointPoolChatClient"/> over several servers (see <see cref="ChatBackends"/>).
/// <para>
/// Each item asks for <see cref="GenerationOptions.NumNegatives"/> passages in one call, parses the answer leniently
/// (<see cref="GeneratedPassageParser"/>), filters every passage (<see cref="QualityFilter"/>) and asks again for what is
/// missing, up to <see cref="GenerationOptions.MaxQualityRetries"/> extra calls. Requests run at most
/// <see cref="GenerationOptions.Concurrency"/> at a time (fewer when an in-process client declares an
/// <see cref="IChatClientCapacity"/>); 429 (honouring Retry-After), 5xx, timeouts and dropped connections
/// are retried with exponential backoff and full jitter; when every endpoint dies mid-run, the run stops early
/// (<see cref="GenerationOptions.StopAfterConnectionFailures"/>) and says which URL failed and why. Every finished item is appended to the <see cref="GenerationCache"/>
/// and fsynced as it arrives, so a killed run resumes without asking again for anything it finished. An item that still
/// fails is recorded and the run goes on; a wrong key, URL or model (HTTP 401/403/404) stops the run at once.
/// </para>
/// </summary>
/// <example>
/// <code>
/// using var client = ChatBackends.OpenAICompatible([new Uri("http://localhost:8000/v1")], "Qwen/Qwen3-4B", apiKey: null);
/// var generator = new SyntheticNegativeGenerator(client, new GenerationOptions { Model = "Qwen/Qwen3-4B", CachePath = "gen.cache.jsonl" });
/// var result = await generator.GenerateToFileAsync(GenerationItem.From(pairs), "negatives.jsonl", progress, ct);
/// </code>
/// </example>
public sealed class SyntheticNegativeGenerator
{
    /// <summary>Rejection key for answers from which no passage could be read.</summary>
    public const string Unparseable = "Unparseable";

    readonly IChatClient _client;
    readonly GenerationOptions _options;
    readonly PromptTemplate _template;
    readonly QualityFilter _filter;
    readonly ThinkingControl _thinking;
    readonly TimeProvider _time;
    readonly EndpointPoolChatClient? _pool;
    readonly string _defaultEndpoint;

    public SyntheticNegativeGenerator(IChatClient client, GenerationOptions options, TimeProvider? time = null)
    {
        options.Validate();
        _client = client;
        _options = options;
        _template = PromptTemplates.Get(options.Template);
        _filter = new QualityFilter(options.Filters);
        _thinking = options.Thinking ?? _template.Thinking;
        _time = time ?? TimeProvider.System;
        _pool = client.GetService<EndpointPoolChatClient>();
        var metadata = client.GetService<ChatClientMetadata>();
        _defaultEndpoint = metadata?.ProviderUri is { } uri ? ChatBackends.Label(uri) : metadata?.ProviderName ?? client.GetType().Name;
    }

    public PromptTemplate Template => _template;

    /// <summary>Runs generation and writes the triples atomically to <paramref name="outputPath"/> (from the cache, in input order).</summary>
    public async Task<GenerationResult> GenerateToFileAsync(IEnumerable<GenerationItem> items, string outputPath,
        IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = await GenerateAsync(items, progress, cancellationToken);
        await TriplesFile.WriteAsync(outputPath, result.Triples, cancellationToken);
        return result;
    }

    /// <summary>Generates what the cache does not hold yet and returns the triples of every item, cached or new.</summary>
    public async Task<GenerationResult> GenerateAsync(IEnumerable<GenerationItem> items,
        IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var unique = new List<(GenerationItem Item, string Key)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = GenerationCache.KeyOf(_options.Model, _template, _options, item.Query, item.Positive);
            if (seen.Add(key)) unique.Add((item, key));
        }

        using var cache = GenerationCache.Open(_options.CachePath);
        var pending = unique.Where(u => !cache.TryGetDone(u.Key, out _)).ToList();
        var fromCache = unique.Count - pending.Count;
        int completed = fromCache, failed = 0, requests = 0, kept = 0;
        var failures = new ConcurrentBag<GenerationFailure>();
        progress?.Report(new(unique.Count, completed, fromCache, 0, 0, 0));

        // An in-process client serves a fixed number of requests at once: send no more, so no timeout runs while a request queues.
        var slots = Math.Min(_options.Concurrency, Math.Max(1, _client.GetService<IChatClientCapacity>()?.MaxConcurrentRequests ?? int.MaxValue));
        // Every endpoint dying mid-run trips the breaker, which cancels the items not finished yet; finished ones stay cached.
        using var breaker = new DeadEndpointBreaker(_options.StopAfterConnectionFailures, cancellationToken);
        var finished = 0;
        try
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = slots, CancellationToken = breaker.Token },
            async (u, ct) =>
            {
                var entry = await GenerateItemAsync(u.Item, u.Key, n => Interlocked.Add(ref requests, n), breaker, ct);
                // The caller's token, not the breaker's: an item that was paid for is written even while the run stops.
                await cache.AppendAsync(entry, cancellationToken);
                Interlocked.Increment(ref finished);
                if (entry.Status == GenerationCacheEntry.Failed)
                {
                    Interlocked.Increment(ref failed);
                    failures.Add(new(u.Item.QueryId, u.Item.PositiveId, entry.Error ?? "failed"));
                }
                Interlocked.Add(ref kept, entry.Negatives.Count);
                var done = Interlocked.Increment(ref completed);
                progress?.Report(new(unique.Count, done, fromCache, Volatile.Read(ref failed), Volatile.Read(ref requests), Volatile.Read(ref kept)));
            });
        }
        catch (OperationCanceledException) when (breaker.Reason is not null && !cancellationToken.IsCancellationRequested) { }

        var entries = cache.Entries;
        var triples = new List<Triple>();
        var all = new List<GenerationCacheEntry>();
        foreach (var (item, key) in unique)
        {
            if (!entries.TryGetValue(key, out var entry)) continue;
            all.Add(entry);
            if (entry.Status == GenerationCacheEntry.Done && entry.Negatives.Count > 0) triples.Add(ToTriple(item, key, entry));
        }
        var summary = new GenerationSummary(
            Items: unique.Count,
            FromCache: fromCache,
            Generated: pending.Count - failed,
            Failed: failed,
            Short: all.Count(e => e.Status == GenerationCacheEntry.Done && e.Negatives.Count < _options.NumNegatives),
            Requests: requests,
            Candidates: all.Sum(e => e.Negatives.Count + e.Record.Rejections.Where(r => r.Key != Unparseable).Sum(r => r.Value)),
            Kept: all.Where(e => e.Status == GenerationCacheEntry.Done).Sum(e => e.Negatives.Count),
            Rejections: Sum(all.Select(e => e.Record.Rejections)),
            Retries: Sum(all.Select(e => e.Record.Retries)),
            InputTokens: all.Sum(e => e.Record.InputTokens),
            OutputTokens: all.Sum(e => e.Record.OutputTokens),
            Elapsed: clock.Elapsed,
            Failures: failures.OrderBy(f => f.QueryId, StringComparer.Ordinal).ThenBy(f => f.PositiveId, StringComparer.Ordinal).ToList())
        {
            StoppedEarly = breaker.Reason,
            NotAttempted = pending.Count - finished,
        };
        return new GenerationResult(triples, summary);
    }

    async Task<GenerationCacheEntry> GenerateItemAsync(GenerationItem item, string key, Action<int> countRequests, DeadEndpointBreaker breaker, CancellationToken ct)
    {
        var accepted = new List<string>();
        var rejections = new Dictionary<string, int>(StringComparer.Ordinal);
        var retries = new Dictionary<string, int>(StringComparer.Ordinal);
        var seeds = new List<long>();
        var endpoints = new List<string>();
        long inputTokens = 0, outputTokens = 0;
        double latencyMs = 0;
        int attempts = 0, calls = 0;
        string? error = null;

        for (var round = 0; round <= _options.MaxQualityRetries && accepted.Count < _options.NumNegatives; round++)
        {
            var need = _options.NumNegatives - accepted.Count;
            var seed = _options.Seed is { } s ? s + round : (long?)null;
            if (seed is { } sd) seeds.Add(sd);
            var messages = _template.Render(item.Query, item.Positive, need, _thinking);
            var chatOptions = ChatOptionsFor(need, seed);

            ChatResponse? response = null;
            for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
            {
                attempts++;
                countRequests(1);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.RequestTimeout);
                var started = _time.GetTimestamp();
                try
                {
                    response = await _client.GetResponseAsync(messages, chatOptions, timeout.Token);
                    breaker.Answered();
                    latencyMs += _time.GetElapsedTime(started).TotalMilliseconds;
                    break;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
                catch (Exception e)
                {
                    var endpoint = e.Data[EndpointPoolChatClient.EndpointKey] as string ?? _defaultEndpoint;
                    if (TransientFailure.FatalStatus(e) is { } fatal)
                        throw new InvalidOperationException(
                            $"endpoint {endpoint} answered HTTP {fatal} for model '{_options.Model}': {ChatBackends.Redact(OneLine(e))}; " +
                            "check --endpoint (an OpenAI-compatible base URL ends in /v1), --model and the API key variable (--api-key-env)", e);
                    var failure = e is OperationCanceledException ? new TransientFailure("timeout", null) : TransientFailure.Classify(e, _time.GetUtcNow());
                    error = failure is null && IsMalformedAnswer(e)
                        ? $"{endpoint}: the answer is not a chat completion ({e.GetType().Name}: {ChatBackends.Redact(OneLine(e))}); " +
                          "check that --endpoint is the server's API base (OpenAI-compatible: ends in /v1) and --backend matches the server"
                        : $"{endpoint}: {(failure?.Kind is { } k ? k + ": " : "")}{ChatBackends.Redact(OneLine(e))}";
                    if (failure?.Kind == "connection") breaker.ConnectionFailed(endpoint, e);
                    else if (failure?.Kind != "timeout") breaker.Answered(); // an HTTP status: a server is still there
                    if (failure is null) break;
                    retries[failure.Kind] = retries.GetValueOrDefault(failure.Kind) + 1;
                    if (failure.Kind == "timeout") _pool?.Bench(endpoint, _pool.Quarantine);
                    if (attempt == _options.MaxAttempts) break;
                    await Task.Delay(DelayBefore(attempt, failure), _time, ct);
                }
            }
            if (response is null) break;
            error = null;

            calls++;
            inputTokens += response.Usage?.InputTokenCount ?? 0;
            outputTokens += response.Usage?.OutputTokenCount ?? 0;
            var label = response.AdditionalProperties?.TryGetValue(EndpointPoolChatClient.EndpointKey, out var l) == true ? l as string ?? _defaultEndpoint : _defaultEndpoint;
            if (!endpoints.Contains(label)) endpoints.Add(label);

            var parsed = GeneratedPassageParser.Parse(response.Text);
            if (parsed.Passages.Count == 0)
            {
                rejections[Unparseable] = rejections.GetValueOrDefault(Unparseable) + 1;
                continue;
            }
            foreach (var passage in parsed.Passages)
            {
                if (accepted.Count == _options.NumNegatives) break;
                if (_filter.Check(passage, item.Query, item.Positive, accepted) is { } reason)
                    rejections[reason.ToString()] = rejections.GetValueOrDefault(reason.ToString()) + 1;
                else accepted.Add(passage);
            }
        }

        var record = new GenerationRecord(_options.Model, _template.Id, _template.Version, _options.Temperature, _options.TopP,
            _options.MaxOutputTokens, seeds, inputTokens, outputTokens, Math.Round(latencyMs, 1), endpoints, attempts, calls, rejections, retries);
        // Passages already paid for are kept even if a later call failed. An item is finished only with negatives: one with
        // nothing to show (no answer, or answers that held no usable passage) is failed and asked again on the next run.
        if (accepted.Count == 0 && error is null) error = NoUsableNegatives(calls, rejections);
        var status = accepted.Count == 0 ? GenerationCacheEntry.Failed : GenerationCacheEntry.Done;
        return new GenerationCacheEntry(key, item.QueryId, item.PositiveId, status, accepted, record, error, _time.GetUtcNow());
    }

    /// <summary>Why an answered item has no negatives: the answers held no passage, or the filters rejected every one.</summary>
    static string NoUsableNegatives(int calls, IReadOnlyDictionary<string, int> rejections)
    {
        var reasons = rejections.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Key == Unparseable ? $"{r.Value} held no readable passage" : $"{r.Value} rejected as {r.Key}");
        return $"no usable negatives in {calls} answer(s): {string.Join(", ", reasons)}; " +
            "the server answered, but not with passages (check --model, --template and --json-schema)";
    }

    ChatOptions ChatOptionsFor(int count, long? seed)
    {
        var options = new ChatOptions
        {
            ModelId = _options.Model,
            Temperature = (float?)_options.Temperature,
            TopP = (float?)_options.TopP,
            Seed = seed,
            MaxOutputTokens = _options.MaxOutputTokens,
        };
        if (_options.UseJsonSchema)
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(NegativesSchema(count), "hard_negatives", "Generated hard negative passages.");
        if (_thinking == ThinkingControl.TemplateKwargs)
            options.AdditionalProperties = new AdditionalPropertiesDictionary { [ChatBackends.EnableThinkingKey] = false };
        return options;
    }

    /// <summary>The JSON schema of an answer: <c>{"negatives": [count strings]}</c>.</summary>
    public static JsonElement NegativesSchema(int count) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["type"] = "object",
        ["properties"] = new Dictionary<string, object>
        {
            ["negatives"] = new Dictionary<string, object>
            {
                ["type"] = "array",
                ["items"] = new Dictionary<string, object> { ["type"] = "string" },
                ["minItems"] = count,
                ["maxItems"] = count,
            },
        },
        ["required"] = new[] { "negatives" },
        ["additionalProperties"] = false,
    });

    TimeSpan DelayBefore(int attempt, TransientFailure failure)
    {
        // Another endpoint can take the retry now; the benched one is avoided by the pool.
        if (_pool is { HasHealthyEndpoint: true }) return TimeSpan.Zero;
        if (failure.RetryAfter is { } after) return after < _options.MaxBackoff ? after : _options.MaxBackoff;
        // Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter").
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    Triple ToTriple(GenerationItem item, string key, GenerationCacheEntry entry)
    {
        var r = entry.Record;
        var options = new Dictionary<string, string>
        {
            ["model"] = r.Model,
            ["template"] = r.TemplateId,
            ["template_version"] = Invariant(r.TemplateVersion),
            ["num_negatives"] = Invariant(_options.NumNegatives),
            ["json_schema"] = _options.UseJsonSchema ? "true" : "false",
            ["thinking"] = _thinking.ToString(),
            ["seeds"] = string.Join(",", r.Seeds.Select(x => Invariant(x))),
            ["input_tokens"] = Invariant(r.InputTokens),
            ["output_tokens"] = Invariant(r.OutputTokens),
            ["latency_ms"] = Invariant(r.LatencyMs),
            ["attempts"] = Invariant(r.Attempts),
            ["calls"] = Invariant(r.Calls),
            ["endpoints"] = string.Join(",", r.Endpoints),
            ["cache_key"] = key,
        };
        if (r.Temperature is { } t) options["temperature"] = Invariant(t);
        if (r.TopP is { } p) options["top_p"] = Invariant(p);
        if (r.MaxOutputTokens is { } m) options["max_tokens"] = Invariant(m);
        if (r.Rejections.Count > 0) options["rejected"] = string.Join(",", r.Rejections.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}"));
        var negatives = entry.Negatives.Select((text, i) => new Negative($"{item.QueryId}-{item.PositiveId}-llm{i}", text, Rank: i + 1)).ToList();
        return new Triple(item.QueryId, item.Query, item.PositiveId, item.Positive, negatives, $"llm:{r.Model}", options);
    }

    /// <summary>The SDK could not read the server's 200 answer (wrong JSON shape): not a network or HTTP error.</summary>
    static bool IsMalformedAnswer(Exception e) =>
        e is ArgumentException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException
            or InvalidCastException or IndexOutOfRangeException;

    static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>The error on one line (SDKs put the server's message on later lines), at most 500 characters.</summary>
    static string OneLine(Exception e)
    {
        var text = string.Join(" ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length <= 500 ? text : text[..500] + "…";
    }

    static IReadOnlyDictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>> counts)
    {
        var total = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts)
            foreach (var (k, v) in c) total[k] = total.GetValueOrDefault(k) + v;
        return total;
    }
}
