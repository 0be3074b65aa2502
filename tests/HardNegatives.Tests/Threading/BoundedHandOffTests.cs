using HardNegatives.Threading;

namespace HardNegatives.Tests.Threading;

/// <summary>The failure paths of the producer/consumer hand-off, hammered: the first real error surfaces every time.</summary>
public sealed class BoundedHandOffTests
{
    const int Iterations = 200;

    static IEnumerable<int> Numbers(int count, int? throwAt = null)
    {
        for (int i = 0; i < count; i++)
        {
            if (i == throwAt) throw new InvalidDataException($"bad item {i}");
            yield return i;
        }
    }

    [Fact]
    public async Task ConsumerError_SurfacesItself_NeverASiblingsCancellation()
    {
        for (int run = 0; run < Iterations; run++)
        {
            var consumers = 2 + run % 3;
            var e = await Assert.ThrowsAsync<ArgumentException>(() => BoundedHandOff.RunAsync(Numbers(5_000), consumers, capacity: 16, i =>
            {
                if (i == 100 + run % 7) throw new ArgumentException($"item {i}");
                Thread.SpinWait(50);
            }));
            Assert.StartsWith("item ", e.Message);
        }
    }

    [Fact]
    public async Task EveryConsumerFailing_SurfacesOneOfTheirErrors()
    {
        for (int run = 0; run < Iterations; run++)
        {
            await Assert.ThrowsAsync<FormatException>(() => BoundedHandOff.RunAsync(Numbers(1_000), 4, capacity: 4,
                i => throw new FormatException($"item {i}")));
        }
    }

    [Fact]
    public async Task ProducerError_StopsConsumers_AndSurfaces()
    {
        for (int run = 0; run < Iterations; run++)
        {
            long seen = 0;
            var e = await Assert.ThrowsAsync<InvalidDataException>(() => BoundedHandOff.RunAsync(Numbers(10_000, throwAt: 50), 2, capacity: 8,
                _ => Interlocked.Increment(ref seen)));
            Assert.Equal("bad item 50", e.Message);
            Assert.True(Interlocked.Read(ref seen) <= 50);
        }
    }

    [Fact]
    public async Task CallerCancellation_IsReportedAsCancellation()
    {
        for (int run = 0; run < Iterations / 4; run++)
        {
            using var cts = new CancellationTokenSource();
            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BoundedHandOff.RunAsync(Numbers(100_000), 2, capacity: 8, i =>
            {
                if (i == 20) cts.Cancel();
            }, cts.Token));
            Assert.Equal(cts.Token, e.CancellationToken);
        }
    }

    [Fact]
    public async Task Success_ConsumesEveryItemOnce()
    {
        var seen = new int[10_000];
        await BoundedHandOff.RunAsync(Numbers(seen.Length), 3, capacity: 32, i => Interlocked.Increment(ref seen[i]));
        Assert.All(seen, n => Assert.Equal(1, n));
    }
}
