using HardNegatives.Generation;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 4: two runs sharing one generation cache. The second gets a clear error before it sends any request; a torn or
/// foreign last line never costs the lines before it.
/// </summary>
[Collection(InProcessProgressCollection.Name)]
public sealed class SharedCacheTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-shared-cache-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);
    string Cache => Path.Combine(_dir, "gen.cache.jsonl");

    [Fact]
    public async Task A_second_run_on_a_cache_in_use_is_refused_before_it_pays_for_anything()
    {
        await using var server = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "test-model");
        using (GenerationCache.Open(Cache)) // the first run, still going
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                new SyntheticNegativeGenerator(client, Options(Cache)).GenerateAsync(Items(3)));
            Assert.Contains("another run is using the generation cache", e.Message);
            Assert.Contains("--cache", e.Message);
            Assert.Equal(0, server.Hits);
        }
        // Once the first run is over, the cache is free again.
        var result = await new SyntheticNegativeGenerator(client, Options(Cache)).GenerateAsync(Items(3));
        Assert.Equal(3, result.Triples.Count);
    }

    [Fact]
    public async Task Hn_generate_on_a_cache_in_use_exits_with_one_clear_line()
    {
        await using var server = new LoopbackChatServer(r => LoopbackChatReply.Ok(Sized(r)));
        var output = Path.Combine(_dir, "out.jsonl");
        using (GenerationCache.Open(output + ".cache.jsonl"))
        {
            var run = await Hn.RunAsync("generate", "--dataset", "scifact", "--endpoint", server.BaseUri.ToString(), "--model", "m",
                "--limit", "2", "--output", output);
            Assert.Equal(1, run.Code);
            Assert.StartsWith("error: another run is using the generation cache", run.Error);
            Assert.Equal(0, server.Hits);
        }
    }

    [Fact]
    public async Task A_last_line_that_is_json_but_not_an_entry_is_cut_off_and_the_lines_before_it_kept()
    {
        await using var server = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "test-model");
        await new SyntheticNegativeGenerator(client, Options(Cache)).GenerateAsync(Items(2));
        File.AppendAllText(Cache, "{\"key\": \"x\"}");
        var again = await new SyntheticNegativeGenerator(client, Options(Cache)).GenerateAsync(Items(2));
        Assert.Equal(2, server.Hits);
        Assert.Equal(2, again.Summary.FromCache);
    }
}
