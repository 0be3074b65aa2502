using HardNegatives.Generation;
using Microsoft.Extensions.AI;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.Generation;

/// <summary>The generator never sends an in-process client more requests than it declares it serves at once.</summary>
public sealed class ChatClientCapacityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-cap-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Like the embedded engines: one request at a time; counts how many were ever handed to it at once.</summary>
    sealed class OneSlotClient : IChatClient, IChatClientCapacity
    {
        int _inFlight;
        public int MostAtOnce;
        public int Calls;
        public int MaxConcurrentRequests => 1;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MostAtOnce, now);
            Interlocked.Increment(ref Calls);
            try
            {
                await Task.Delay(10, cancellationToken);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, Good(GoodNegatives.Length)));
            }
            finally { Interlocked.Decrement(ref _inFlight); }
        }

        static void InterlockedMax(ref int target, int value)
        {
            for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
                if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;
        public void Dispose() { }
    }

    [Fact]
    public async Task EightConcurrentItemsOnAOneSlotClientAllSucceedOneAtATime()
    {
        var client = new OneSlotClient();
        var options = Options(Path.Combine(_dir, "cache.jsonl")) with { Concurrency = 8 };
        var result = await new SyntheticNegativeGenerator(client, options).GenerateAsync(Items(8));
        Assert.Equal(0, result.Summary.Failed);
        Assert.Equal(8, result.Triples.Count);
        Assert.Equal(8, client.Calls);
        Assert.Equal(1, client.MostAtOnce);
    }
}
