namespace HardNegatives.Models.Hub;

/// <summary>
/// Where and how to reach the Hugging Face Hub; every null reads the same environment variable <c>huggingface_hub</c> reads.
/// </summary>
/// <param name="Endpoint">Hub URL; default <c>HF_ENDPOINT</c>, else https://huggingface.co.</param>
/// <param name="Token">Access token for gated/private repos, sent as a Bearer header to the Hub host only and never logged;
/// default <c>HF_TOKEN</c>, else the file <c>$HF_HOME/token</c>.</param>
/// <param name="CacheDir">Cache root; default <c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>.</param>
/// <param name="Offline">Never touch the network, serve from the cache only; default: <c>HF_HUB_OFFLINE</c> or the kit-wide
/// <c>HN_OFFLINE</c> is 1/true/yes/on.</param>
/// <param name="Timeout">Per-request timeout; default 10 minutes.</param>
public sealed record HfHubOptions(string? Endpoint = null, string? Token = null, string? CacheDir = null, bool? Offline = null, TimeSpan? Timeout = null)
{
    static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    static string HfHome => Env("HF_HOME") ?? Path.Combine(Env("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "huggingface");

    public string EffectiveEndpoint => (Endpoint ?? Env("HF_ENDPOINT") ?? "https://huggingface.co").TrimEnd('/');

    public string? EffectiveToken
    {
        get
        {
            if (Token is { Length: > 0 }) return Token;
            if (Env("HF_TOKEN") is { } t) return t.Trim();
            var file = Path.Combine(HfHome, "token");
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } stored ? stored : null;
        }
    }

    public string EffectiveCacheDir => CacheDir ?? Env("HF_HUB_CACHE") ?? Path.Combine(HfHome, "hub");

    public bool EffectiveOffline => Offline ?? (Data.KitPaths.IsOn("HF_HUB_OFFLINE") || Data.KitPaths.Offline);
}

/// <summary>Download progress of one file: bytes so far out of the total (null when the server did not say).</summary>
public sealed record HubDownloadProgress(string File, long Bytes, long? Total);
