using HardNegatives.Generation;
using HardNegatives.Negatives;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.Generation;

/// <summary>A run stopped midway (and a cache write torn by the stop) resumes without asking again for anything it finished.</summary>
public sealed class KillAndResumeTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-gen-resume-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Stopped_run_resumes_without_repeating_finished_items_and_the_output_is_complete()
    {
        var cachePath = Path.Combine(_dir, "cache.jsonl");
        var output = Path.Combine(_dir, "negatives.jsonl");
        var items = Items(40);
        var options = Options(cachePath) with { Concurrency = 4 };

        using var stop = new CancellationTokenSource();
        int firstHits;
        await using (var first = new LoopbackChatServer(r =>
        {
            if (r.Number == 15) stop.Cancel(); // the kill arrives while requests are in flight
            return LoopbackChatReply.Ok(Good(Asked(r)), TimeSpan.FromMilliseconds(30));
        }))
        {
            using var client = ChatBackends.OpenAICompatible(first.BaseUri, "test-model");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new SyntheticNegativeGenerator(client, options).GenerateToFileAsync(items, output, cancellationToken: stop.Token));
            firstHits = first.Hits;
        }
        Assert.False(File.Exists(output));

        // A process killed during a write leaves half a line behind.
        await File.AppendAllTextAsync(cachePath, "{\"key\":\"0123\",\"query_id\":\"q39\",\"positive_id\":\"d39\",\"status\":\"do");
        HashSet<string> done;
        using (var cache = GenerationCache.Open(cachePath))
        {
            Assert.True(cache.TruncatedBytes > 0);
            done = cache.Entries.Values.Where(e => e.Status == GenerationCacheEntry.Done).Select(e => e.QueryId).ToHashSet();
        }
        Assert.InRange(done.Count, 10, 20);
        Assert.True(firstHits - done.Count <= options.Concurrency, $"{firstHits} requests for {done.Count} finished items");

        await using var second = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using (var client = ChatBackends.OpenAICompatible(second.BaseUri, "test-model"))
        {
            var result = await new SyntheticNegativeGenerator(client, options).GenerateToFileAsync(items, output);
            Assert.Equal(done.Count, result.Summary.FromCache);
        }

        Assert.Equal(40 - done.Count, second.Hits);
        var asked = second.Requests.Select(r => items.Single(i => r.LastUserMessage.Contains(i.Query)).QueryId).ToList();
        Assert.Empty(asked.Intersect(done));
        Assert.Equal(asked.Count, asked.Distinct().Count());

        var triples = TriplesFile.Read(output).ToList();
        Assert.Equal(items.Select(i => i.QueryId), triples.Select(t => t.QueryId));
        Assert.All(triples, t => Assert.Equal(3, t.Negatives.Count));

        // A third run finds everything done and asks nothing.
        await using var third = new LoopbackChatServer(_ => LoopbackChatReply.Error(500));
        using var idle = ChatBackends.OpenAICompatible(third.BaseUri, "test-model");
        var again = await new SyntheticNegativeGenerator(idle, options).GenerateToFileAsync(items, output);
        Assert.Equal(0, third.Hits);
        Assert.Equal(40, again.Triples.Count);
    }
}
