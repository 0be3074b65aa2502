namespace HardNegatives.Generation;

/// <summary>
/// Settings of one generation run. Everything that changes what the server is asked is part of the cache key
/// (<see cref="GenerationCache.KeyOf"/>); the rest (concurrency, retries, timeouts, filters) can change between resumes.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>The model name sent to the server and recorded as the triples' source <c>llm:&lt;model&gt;</c>.</summary>
    public required string Model { get; init; }

    /// <summary>A bundled template id or a template file (default <c>hn-negatives-v2</c>; <c>hn-negatives-v1</c> is kept).</summary>
    public string Template { get; init; } = PromptTemplates.DefaultId;

    /// <summary>Negatives wanted per (query, positive) pair, asked for in one call (default 3).</summary>
    public int NumNegatives { get; init; } = 3;

    /// <summary>Sampling temperature (default 0.7, Qwen3's recommendation for non-thinking mode).</summary>
    public double? Temperature { get; init; } = 0.7;

    /// <summary>Nucleus sampling (default 0.8, Qwen3's recommendation for non-thinking mode).</summary>
    public double? TopP { get; init; } = 0.8;

    /// <summary>Base seed (default 42). Call <c>r</c> of an item (0 first, then quality retries) sends <c>Seed + r</c>, so a retry does not repeat the same sample.</summary>
    public long? Seed { get; init; } = 42;

    /// <summary>Maximum tokens of one answer (default 2048: three passages of SciFact length fit with room to spare).</summary>
    public int? MaxOutputTokens { get; init; } = 2048;

    /// <summary>Ask for JSON matching a schema (<c>response_format: json_schema</c>). Turn off for servers that reject it; answers are parsed leniently either way (default on).</summary>
    public bool UseJsonSchema { get; init; } = true;

    /// <summary>How to switch a reasoning model's thinking off; null uses the template's setting.</summary>
    public ThinkingControl? Thinking { get; init; }

    /// <summary>Requests in flight at once (default 8).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Extra calls for an item whose answer was unparseable or lost passages to the filters (default 2).</summary>
    public int MaxQualityRetries { get; init; } = 2;

    /// <summary>Tries per call before the item is recorded as failed: 429, 5xx, timeouts, dropped connections (default 6).</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Time allowed for one request before it counts as timed out and is retried (default 5 minutes).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First backoff delay; doubles per attempt with full jitter, up to <see cref="MaxBackoff"/> (default 1 s).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff delay, and longest Retry-After honoured (default 2 minutes).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Connection-level failures in a row (refused, reset, dropped; over all endpoints, retries included) after which the
    /// run stops early, keeping what it finished in the cache (default 10): a server that died mid-run costs seconds, not
    /// every remaining item's retries. Any answer from any server resets the count.
    /// </summary>
    public int StopAfterConnectionFailures { get; init; } = 10;

    /// <summary>Quality filter thresholds.</summary>
    public QualityFilterOptions Filters { get; init; } = new();

    /// <summary>The append-only cache file; required, so that every run can resume.</summary>
    public required string CachePath { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(Model)}", "is required: the generator model's name");
        if (NumNegatives < 1) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(NumNegatives)}", $"must be at least 1 (got {NumNegatives})");
        if (Concurrency < 1) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(Concurrency)}", $"must be at least 1 (got {Concurrency})");
        if (MaxAttempts < 1) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(MaxAttempts)}", $"must be at least 1 (got {MaxAttempts})");
        if (MaxQualityRetries < 0) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(MaxQualityRetries)}", $"cannot be negative (got {MaxQualityRetries})");
        if (StopAfterConnectionFailures < 1) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(StopAfterConnectionFailures)}", $"must be at least 1 (got {StopAfterConnectionFailures})");
        if (RequestTimeout <= TimeSpan.Zero) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(RequestTimeout)}", "must be positive");
        if (string.IsNullOrWhiteSpace(CachePath)) throw new OptionsValidationException($"{nameof(GenerationOptions)}.{nameof(CachePath)}", "is required");
    }
}
