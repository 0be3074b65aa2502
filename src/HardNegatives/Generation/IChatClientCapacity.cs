namespace HardNegatives.Generation;

/// <summary>
/// An in-process chat client that serves a fixed number of requests at once (one model in memory). The generator asks
/// for it through <c>GetService</c> and never has more requests in flight than this, so a request's timeout starts when
/// the client takes it, not while it waits for a free slot.
/// </summary>
public interface IChatClientCapacity
{
    /// <summary>Requests the client runs at the same time (at least 1).</summary>
    int MaxConcurrentRequests { get; }
}
