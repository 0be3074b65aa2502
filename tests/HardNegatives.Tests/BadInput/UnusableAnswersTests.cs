using HardNegatives.Data;
using HardNegatives.Experiments;
using HardNegatives.Generation;
using HardNegatives.Negatives;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 1: a server that answers HTTP 200 with JSON holding no negatives. An item is finished only with its negatives;
/// failed items make the run fail with a count and a cause, a rerun asks again for exactly those, and <c>hn reproduce</c>
/// never stores an empty negatives artifact.
/// </summary>
[Collection(InProcessProgressCollection.Name)]
public sealed class UnusableAnswersTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-bad-answers-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);
    string Cache => Path.Combine(_dir, "gen.cache.jsonl");

    static LoopbackChatServer Unusable() => new(_ => LoopbackChatReply.Ok("{\"answer\": 42}"));

    [Fact]
    public async Task Answers_without_negatives_fail_the_items_and_a_rerun_asks_again_for_exactly_those()
    {
        await using (var bad = Unusable())
        {
            using var client = ChatBackends.OpenAICompatible(bad.BaseUri, "test-model");
            var result = await new SyntheticNegativeGenerator(client, Options(Cache) with { MaxQualityRetries = 1 }).GenerateAsync(Items(4));
            Assert.Empty(result.Triples);
            Assert.Equal(4, result.Summary.Failed);
            Assert.Equal(0, result.Summary.Generated);
            Assert.Equal(4, result.Summary.MostCommonCause!.Value.Count);
            Assert.Contains("no usable negatives", result.Summary.FailureLine);
            Assert.Contains("4 of 4 items failed", result.Summary.FailureLine);
        }
        await using var good = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using var fixedClient = ChatBackends.OpenAICompatible(good.BaseUri, "test-model");
        var again = await new SyntheticNegativeGenerator(fixedClient, Options(Cache)).GenerateAsync(Items(4));
        Assert.Equal(4, good.Hits);
        Assert.Equal(4, again.Triples.Count);
        Assert.Equal(0, again.Summary.Failed);
    }

    [Fact]
    public async Task A_cache_poisoned_by_an_older_version_is_asked_again()
    {
        // Older versions wrote "done" with no negatives for unusable answers; such an entry is not finished.
        var item = Items(1)[0];
        var options = Options(Cache);
        var key = GenerationCache.KeyOf(options.Model, PromptTemplates.Get(options.Template), options, item.Query, item.Positive);
        using (var cache = GenerationCache.Open(Cache))
            await cache.AppendAsync(new GenerationCacheEntry(key, item.QueryId, item.PositiveId, GenerationCacheEntry.Done, [],
                new GenerationRecord("test-model", "t", 1, null, null, null, [], 0, 0, 0, [], 1, 1, new Dictionary<string, int>(), new Dictionary<string, int>())));
        await using var good = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using var client = ChatBackends.OpenAICompatible(good.BaseUri, "test-model");
        var result = await new SyntheticNegativeGenerator(client, options).GenerateAsync([item]);
        Assert.Equal(1, good.Hits);
        Assert.Single(result.Triples);
    }

    [Fact]
    public async Task Hn_generate_exits_non_zero_with_the_count_and_the_cause()
    {
        var output = Path.Combine(_dir, "out.jsonl");
        string[] args = ["generate", "--dataset", "scifact", "--split", "train", "--model", "test-model", "--limit", "4",
            "--quality-retries", "0", "--output", output];
        await using (var bad = Unusable())
        {
            var run = await Hn.RunAsync([.. args, "--endpoint", bad.BaseUri.ToString()]);
            Assert.NotEqual(0, run.Code);
            Assert.Empty(TriplesFile.Read(output));
        }
        await using var good = new LoopbackChatServer(r => LoopbackChatReply.Ok(Sized(r)));
        var second = await Hn.RunAsync([.. args, "--endpoint", good.BaseUri.ToString()]);
        Assert.Equal(0, second.Code);
        Assert.Equal(4, good.Hits);
        Assert.Equal(4, TriplesFile.Read(output).Count());
    }

    [Fact]
    public async Task Reproduce_never_stores_an_empty_negatives_artifact()
    {
        await using var bad = Unusable();
        var store = new ArtifactStore(Path.Combine(_dir, "store"));
        var source = new NegativeSourceSpec(NegativeSourceKind.Llm, "LLM", Model: "test-model", Backend: "openai", Endpoints: [bad.BaseUri.ToString()]);
        var training = new TrainingDataSpec(Dataset: "scifact", Split: "train", Limit: 2);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync("negatives", "k1", Provenance.Capture("spec", null),
            dir => new KitStages().MakeNegativesAsync(source, training, 1, dir, new Progress<StepProgress>(), CancellationToken.None)));
        Assert.Contains("no usable negatives", e.Message);
        Assert.Null(store.TryGet("negatives", "k1"));
    }
}
