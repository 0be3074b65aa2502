namespace HardNegatives.Generation;

/// <summary>
/// Stops a generation run when every endpoint has died mid-run: after <see cref="GenerationOptions.StopAfterConnectionFailures"/>
/// connection-level failures in a row (refused, reset, dropped; any answer from any server resets the count), the
/// run's remaining items are cancelled instead of each paying its own retries against a dead server. Keeps a tally of the
/// causes by endpoint, so that the stop names the URL and the most common cause.
/// </summary>
sealed class DeadEndpointBreaker : IDisposable
{
    readonly int _limit;
    readonly CancellationTokenSource _trip;
    readonly Dictionary<(string Endpoint, string Cause), int> _causes = [];
    readonly object _gate = new();
    int _inARow;

    public DeadEndpointBreaker(int limit, CancellationToken caller)
    {
        _limit = limit;
        _trip = CancellationTokenSource.CreateLinkedTokenSource(caller);
    }

    /// <summary>Cancelled when the caller cancels or the breaker trips.</summary>
    public CancellationToken Token => _trip.Token;

    /// <summary>Set once the breaker has tripped: one line naming the endpoint and the most common cause.</summary>
    public string? Reason { get; private set; }

    /// <summary>A server answered (whatever it said): the endpoints are not all dead.</summary>
    public void Answered() => Interlocked.Exchange(ref _inARow, 0);

    /// <summary>Counts one connection-level failure; trips the breaker at the limit.</summary>
    public void ConnectionFailed(string endpoint, Exception error)
    {
        lock (_gate)
        {
            var key = (endpoint, EndpointProbe.Cause(error));
            _causes[key] = _causes.GetValueOrDefault(key) + 1;
            if (Interlocked.Increment(ref _inARow) < _limit || Reason is not null) return;
            var ((url, cause), count) = _causes.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Endpoint, StringComparer.Ordinal).First();
            var total = _causes.Values.Sum();
            Reason = $"stopped early: {_limit} connection failures in a row on every endpoint; most common cause, {count} of {total}: " +
                $"{url}: {cause}; start the server (or fix --endpoint) and run again: finished items are kept in the cache";
        }
        _trip.Cancel();
    }

    public void Dispose() => _trip.Dispose();
}
