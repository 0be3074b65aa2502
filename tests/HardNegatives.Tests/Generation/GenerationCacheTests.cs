using HardNegatives.Data;
using HardNegatives.Generation;

namespace HardNegatives.Tests.Generation;

public sealed class GenerationCacheTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-gen-cache-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static GenerationCacheEntry Entry(string key, string status = GenerationCacheEntry.Done) =>
        new(key, "q" + key, "d" + key, status, status == GenerationCacheEntry.Done ? ["neg " + key] : [],
            new GenerationRecord("m", "t", 1, 0.7, 0.8, 100, [42], 10, 5, 12.5, ["http://x/v1"], 1, 1, new Dictionary<string, int>(), new Dictionary<string, int>()));

    [Fact]
    public async Task Appended_entries_survive_reopen_and_later_lines_win()
    {
        var path = Path.Combine(_dir, "c.jsonl");
        using (var cache = GenerationCache.Open(path))
        {
            await cache.AppendAsync(Entry("a", GenerationCacheEntry.Failed));
            await cache.AppendAsync(Entry("b"));
            await cache.AppendAsync(Entry("a"));
        }
        using var again = GenerationCache.Open(path);
        Assert.Equal(0, again.TruncatedBytes);
        Assert.True(again.TryGetDone("a", out var a));
        Assert.Equal(["neg a"], a.Negatives);
        Assert.True(again.TryGetDone("b", out _));
        Assert.False(again.TryGetDone("c", out _));
    }

    [Fact]
    public async Task Concurrent_appends_are_all_on_disk_as_whole_lines()
    {
        var path = Path.Combine(_dir, "c.jsonl");
        using (var cache = GenerationCache.Open(path))
            await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (i, ct) =>
                {
                    await cache.AppendAsync(Entry($"k{i}"));
                    Assert.True(cache.TryGetDone($"k{i}", out var _)); // visible once durable
                });
        Assert.Equal(300, File.ReadAllLines(path).Length);
        using var reopened = GenerationCache.Open(path);
        Assert.Equal(0, reopened.TruncatedBytes);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"k{i}").Order(StringComparer.Ordinal), reopened.Entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Torn_last_line_is_cut_off_and_appending_continues_cleanly()
    {
        var path = Path.Combine(_dir, "c.jsonl");
        using (var cache = GenerationCache.Open(path)) await cache.AppendAsync(Entry("a"));
        var goodLength = new FileInfo(path).Length;
        await File.AppendAllTextAsync(path, "{\"key\":\"b\",\"query_id\":\"qb\",\"sta");
        using (var cache = GenerationCache.Open(path))
        {
            Assert.Equal(31, cache.TruncatedBytes);
            Assert.Equal(goodLength, new FileInfo(path).Length);
            Assert.False(cache.TryGetDone("b", out _));
            await cache.AppendAsync(Entry("c"));
        }
        using var reopened = GenerationCache.Open(path);
        Assert.Equal(["a", "c"], reopened.Entries.Keys.Order());
    }

    [Fact]
    public async Task Complete_last_line_without_newline_is_kept_and_terminated()
    {
        var path = Path.Combine(_dir, "c.jsonl");
        using (var cache = GenerationCache.Open(path)) await cache.AppendAsync(Entry("a"));
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..^1]); // the crash came just before the line break
        using (var cache = GenerationCache.Open(path))
        {
            Assert.True(cache.TryGetDone("a", out _));
            await cache.AppendAsync(Entry("b"));
        }
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public async Task Corrupt_line_in_the_middle_is_reported_with_its_line_number()
    {
        var path = Path.Combine(_dir, "c.jsonl");
        using (var cache = GenerationCache.Open(path)) await cache.AppendAsync(Entry("a"));
        await File.AppendAllTextAsync(path, "garbage\n");
        using (var cache = GenerationCache.Open(path)) { } // garbage as the last line: torn, cut off
        await File.AppendAllTextAsync(path, "garbage\n" + File.ReadAllLines(path)[0] + "\n");
        var e = Assert.Throws<DataFormatException>(() => GenerationCache.Open(path));
        Assert.Contains(":2", e.Message);
    }

    [Fact]
    public void Key_depends_on_everything_that_changes_the_request()
    {
        var t = PromptTemplates.Get("hn-negatives-v1");
        var o = new GenerationOptions { Model = "m", CachePath = "x" };
        var k = GenerationCache.KeyOf("m", t, o, "q", "p");
        Assert.Equal(64, k.Length);
        Assert.Equal(k, GenerationCache.KeyOf("m", t, o with { Concurrency = 99, CachePath = "y" }, "q", "p"));
        Assert.NotEqual(k, GenerationCache.KeyOf("m2", t, o, "q", "p"));
        Assert.NotEqual(k, GenerationCache.KeyOf("m", t with { Version = 2 }, o, "q", "p"));
        Assert.NotEqual(k, GenerationCache.KeyOf("m", t, o with { Temperature = 0.1 }, "q", "p"));
        Assert.NotEqual(k, GenerationCache.KeyOf("m", t, o with { Seed = 7 }, "q", "p"));
        Assert.NotEqual(k, GenerationCache.KeyOf("m", t, o with { NumNegatives = 5 }, "q", "p"));
        Assert.NotEqual(k, GenerationCache.KeyOf("m", t, o, "q2", "p"));
        Assert.NotEqual(k, GenerationCache.KeyOf("m", t, o, "q", "p2"));
    }
}
