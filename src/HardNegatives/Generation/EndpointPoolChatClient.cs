using Microsoft.Extensions.AI;

namespace HardNegatives.Generation;

/// <summary>One server that can answer chat requests for the model, with a label that is safe to log (no key).</summary>
public sealed record ChatEndpoint(string Label, IChatClient Client);

/// <summary>
/// Spreads requests for one model over several servers (replicas, a vLLM cluster): each request goes to the endpoint with
/// the fewest requests in flight, ties broken round-robin. An endpoint that fails with a transient error (429, 5xx, timeout,
/// dropped connection) is benched for the server's Retry-After, or <see cref="Quarantine"/>, so that retries go elsewhere.
/// When every endpoint is benched the one that comes back first is used. The error itself is passed up, tagged with the
/// endpoint, for the caller's retry loop; the answer carries the endpoint in <c>AdditionalProperties["hn.endpoint"]</c>.
/// </summary>
public sealed class EndpointPoolChatClient : IChatClient
{
    /// <summary>Key in <see cref="ChatResponse.AdditionalProperties"/> and <see cref="Exception.Data"/> naming the endpoint used.</summary>
    public const string EndpointKey = "hn.endpoint";

    readonly Slot[] _slots;
    readonly TimeProvider _time;
    readonly object _gate = new();
    long _turn;

    sealed class Slot(ChatEndpoint endpoint)
    {
        public ChatEndpoint Endpoint { get; } = endpoint;
        public int InFlight;
        public long Served;
        public long Failed;
        public DateTimeOffset BenchedUntil = DateTimeOffset.MinValue;
    }

    public EndpointPoolChatClient(IEnumerable<ChatEndpoint> endpoints, TimeSpan? quarantine = null, TimeProvider? time = null)
    {
        _slots = endpoints.Select(e => new Slot(e)).ToArray();
        if (_slots.Length == 0) throw new ArgumentException("an endpoint pool needs at least one endpoint");
        Quarantine = quarantine ?? TimeSpan.FromSeconds(5);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long an endpoint is avoided after a transient failure without Retry-After (default 5 s).</summary>
    public TimeSpan Quarantine { get; }

    /// <summary>Labels of the endpoints, in the order given.</summary>
    public IReadOnlyList<string> Labels => _slots.Select(s => s.Endpoint.Label).ToList();

    /// <summary>Requests answered and failed per endpoint so far.</summary>
    public IReadOnlyList<(string Label, long Served, long Failed)> Statistics =>
        _slots.Select(s => (s.Endpoint.Label, Interlocked.Read(ref s.Served), Interlocked.Read(ref s.Failed))).ToList();

    /// <summary>True while at least one endpoint is not benched: a retry may go out at once.</summary>
    public bool HasHealthyEndpoint
    {
        get { var now = _time.GetUtcNow(); lock (_gate) return _slots.Any(s => s.BenchedUntil <= now); }
    }

    /// <summary>Avoids the endpoint for <paramref name="duration"/> (e.g. after it timed out).</summary>
    public void Bench(string label, TimeSpan duration)
    {
        var until = _time.GetUtcNow() + duration;
        lock (_gate)
            foreach (var s in _slots.Where(s => s.Endpoint.Label == label))
                if (until > s.BenchedUntil) s.BenchedUntil = until;
    }

    Slot Pick()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var healthy = _slots.Where(s => s.BenchedUntil <= now).ToList();
            var turn = _turn++;
            Slot chosen;
            if (healthy.Count == 0) chosen = _slots.MinBy(s => s.BenchedUntil)!;
            else
            {
                var least = healthy.Min(s => s.InFlight);
                var candidates = healthy.Where(s => s.InFlight == least).ToList();
                chosen = candidates[(int)(turn % candidates.Count)];
            }
            chosen.InFlight++;
            return chosen;
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var slot = Pick();
        try
        {
            var response = await slot.Endpoint.Client.GetResponseAsync(messages, options, cancellationToken);
            Interlocked.Increment(ref slot.Served);
            (response.AdditionalProperties ??= [])[EndpointKey] = slot.Endpoint.Label;
            return response;
        }
        catch (Exception e)
        {
            // Cancellation through the caller's token is either the caller stopping or the caller's timeout; the
            // caller benches on timeout through Bench, since only it knows which one it was.
            e.Data[EndpointKey] = slot.Endpoint.Label;
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            Interlocked.Increment(ref slot.Failed);
            if (TransientFailure.Classify(e, _time.GetUtcNow()) is { } failure) Bench(slot.Endpoint.Label, failure.RetryAfter ?? Quarantine);
            throw;
        }
        finally
        {
            lock (_gate) slot.InFlight--;
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the endpoint pool serves whole answers only; generation does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _slots[0].Endpoint.Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        foreach (var s in _slots) s.Endpoint.Client.Dispose();
    }
}
