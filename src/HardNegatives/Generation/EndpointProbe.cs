using System.Net.Sockets;

namespace HardNegatives.Generation;

/// <summary>Whether one endpoint answered the probe; <see cref="Problem"/> says why not.</summary>
public sealed record EndpointStatus(Uri Endpoint, string Label, string? Problem)
{
    public bool Reachable => Problem is null;
}

/// <summary>
/// Checks every server before any work starts: one GET per endpoint (<c>/v1/models</c> for OpenAI-compatible servers,
/// <c>/api/version</c> for Ollama), where any HTTP answer counts as reachable. A dead endpoint is found in seconds and
/// named with its cause (connection refused, unknown host, no answer), instead of after hundreds of retried requests.
/// Offline, endpoints not on this machine are refused first (<see cref="RequireLocalWhenOffline"/>).
/// </summary>
public static class EndpointProbe
{
    /// <summary>How long a probe waits for an answer (default 15 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<IReadOnlyList<EndpointStatus>> ProbeAsync(IReadOnlyList<Uri> endpoints, ChatBackend backend,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var wait = timeout ?? DefaultTimeout;
        return await Task.WhenAll(endpoints.Select(async endpoint =>
        {
            var label = ChatBackends.Label(endpoint);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(wait);
            try
            {
                using var response = await http.GetAsync(ProbeUri(endpoint, backend), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                return new EndpointStatus(endpoint, label, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new EndpointStatus(endpoint, label, $"no answer within {wait.TotalSeconds:0} s");
            }
            catch (HttpRequestException e)
            {
                return new EndpointStatus(endpoint, label, Cause(e));
            }
        }));
    }

    /// <summary>
    /// Probes <paramref name="endpoints"/> and returns the reachable ones; each unreachable one is reported through
    /// <paramref name="warn"/>. When none answers, throws one error naming every URL and its cause.
    /// </summary>
    public static async Task<IReadOnlyList<Uri>> RequireReachableAsync(IReadOnlyList<Uri> endpoints, ChatBackend backend,
        Action<string>? warn = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        RequireLocalWhenOffline(endpoints);
        var status = await ProbeAsync(endpoints, backend, timeout, cancellationToken);
        var down = status.Where(s => !s.Reachable).ToList();
        if (down.Count == status.Count)
            throw new InvalidOperationException(
                $"no endpoint answered: {string.Join("; ", down.Select(s => $"{s.Label}: {s.Problem}"))}; " +
                "start the server or fix --endpoint (an OpenAI-compatible base URL ends in /v1, Ollama's is http://host:11434)");
        foreach (var s in down) warn?.Invoke($"endpoint {s.Label} is not answering ({s.Problem}); using the other {status.Count - down.Count}");
        return status.Where(s => s.Reachable).Select(s => s.Endpoint).ToList();
    }

    /// <summary>
    /// Offline (<c>HN_OFFLINE</c>), only a server on this machine may be asked (localhost, 127.0.0.0/8, ::1): anything else
    /// is refused before a connection is made.
    /// </summary>
    public static void RequireLocalWhenOffline(IEnumerable<Uri> endpoints)
    {
        if (!Data.KitPaths.Offline) return;
        var remote = endpoints.Where(e => !IsLocal(e)).Select(ChatBackends.Label).ToList();
        if (remote.Count > 0)
            throw new Data.OfflineModeException($"offline (HN_OFFLINE is set): generation endpoint {string.Join(", ", remote)} is not on this machine; " +
                "use a local server (localhost, 127.0.0.1 or [::1]) or unset HN_OFFLINE");
    }

    static bool IsLocal(Uri endpoint) =>
        endpoint.IsLoopback || (System.Net.IPAddress.TryParse(endpoint.IdnHost, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    static Uri ProbeUri(Uri endpoint, ChatBackend backend)
    {
        var root = endpoint.AbsoluteUri.TrimEnd('/');
        return backend == ChatBackend.Ollama ? new Uri(root + "/api/version")
            : new Uri((endpoint.AbsolutePath is "" or "/" ? root + "/v1" : root) + "/models");
    }

    /// <summary>The innermost cause (e.g. "Connection refused (127.0.0.1:9)"), which is what a user can act on.</summary>
    internal static string Cause(Exception e)
    {
        var inner = e;
        while (inner.InnerException is { } next) inner = next;
        return inner is SocketException s ? $"{s.Message} ({s.SocketErrorCode})" : inner.Message;
    }
}
