using HardNegatives.Models;
using HardNegatives.Models.Hub;

namespace HardNegatives.Tests.Models;

public sealed class HfHubTests : IDisposable
{
    readonly FakeHub _hub = new();
    readonly string _cache = Directory.CreateTempSubdirectory("hn-hub-").FullName;
    static readonly byte[] Weights = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];
    static readonly byte[] Config = "{\"model_type\":\"bert\"}"u8.ToArray();

    public HfHubTests()
    {
        _hub.Add("org/model", "config.json", Config);
        _hub.Add("org/model", "model.safetensors", Weights, lfs: true);
        _hub.Add("org/model", "1_Pooling/config.json", "{}"u8.ToArray());
        _hub.Add("gated/model", "config.json", Config);
    }

    HfHub Client(string? token = null, bool offline = false) => new(new HfHubOptions(_hub.Endpoint, token, _cache, offline));

    public void Dispose()
    {
        _hub.Dispose();
        Directory.Delete(_cache, true);
    }

    [Fact]
    public async Task DownloadsIntoHuggingFaceHubsCacheLayout()
    {
        using var client = Client(token: "secret-token");
        Assert.Equal($"{_hub.Endpoint}/org/model/resolve/main/1_Pooling/config.json", client.FileUrl("org/model", "1_Pooling/config.json").ToString());
        var weights = await client.DownloadFileAsync("org/model", "model.safetensors");
        var nested = await client.DownloadFileAsync("org/model", "1_Pooling/config.json");
        var repo = Path.Combine(_cache, "models--org--model");
        Assert.Equal(Path.Combine(repo, "snapshots", FakeHub.Commit, "model.safetensors"), weights);
        Assert.Equal(Path.Combine(repo, "snapshots", FakeHub.Commit, "1_Pooling", "config.json"), nested);
        Assert.Equal(FakeHub.Commit, File.ReadAllText(Path.Combine(repo, "refs", "main")));
        Assert.Equal(Weights, File.ReadAllBytes(weights));
        var link = new FileInfo(weights).LinkTarget;
        Assert.NotNull(link);
        Assert.StartsWith("../../blobs/", link);
        Assert.Equal(64, Path.GetFileName(link).Length); // LFS blobs are named by their SHA-256
        Assert.Empty(Directory.GetFiles(Path.Combine(repo, "blobs"), "*.incomplete"));
        // The token goes to the Hub's host for resolve requests (the fake CDN here shares the host, so it is sent there too).
        Assert.All(_hub.Requests, r => Assert.Equal("Bearer secret-token", r.Authorization));
    }

    [Fact]
    public async Task SecondDownloadUsesTheCachedBlob()
    {
        using var client = Client();
        await client.DownloadFileAsync("org/model", "model.safetensors");
        int gets = _hub.Requests.Count(r => r.Method == "GET");
        await client.DownloadFileAsync("org/model", "model.safetensors");
        Assert.Equal(gets, _hub.Requests.Count(r => r.Method == "GET"));
        Assert.All(_hub.Requests, r => Assert.Null(r.Authorization)); // no token configured, none sent
    }

    [Fact]
    public async Task OfflineServesFromTheCacheWithoutAnyRequest()
    {
        using (var online = Client()) await online.DownloadFileAsync("org/model", "config.json");
        int before = _hub.Requests.Count;
        using var offline = Client(offline: true);
        var path = await offline.DownloadFileAsync("org/model", "config.json");
        Assert.Equal(Config, File.ReadAllBytes(path));
        Assert.Equal(before, _hub.Requests.Count);
        var e = await Assert.ThrowsAsync<HubFileNotFoundException>(() => offline.DownloadFileAsync("org/model", "model.safetensors"));
        Assert.Contains("HF_HUB_OFFLINE", e.Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => offline.DownloadFileAsync("org/other", "config.json"));
    }

    [Fact]
    public async Task AnInterruptedDownloadResumesWithARangeRequest()
    {
        using var client = Client();
        _hub.CutAfter = 100_000;
        await Assert.ThrowsAnyAsync<Exception>(() => client.DownloadFileAsync("org/model", "model.safetensors"));
        var incomplete = Directory.GetFiles(Path.Combine(_cache, "models--org--model", "blobs"), "*.incomplete").Single();
        Assert.InRange(new FileInfo(incomplete).Length, 1, Weights.Length - 1);
        long partial = new FileInfo(incomplete).Length;
        var path = await client.DownloadFileAsync("org/model", "model.safetensors");
        Assert.Equal(Weights, File.ReadAllBytes(path));
        Assert.Contains(_hub.Requests, r => r.Method == "GET" && r.Range == $"bytes={partial}-");
    }

    [Fact]
    public async Task ASizeMismatchIsAnErrorAndNothingIsCached()
    {
        using var client = Client();
        _hub.SizeLie = 5;
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => client.DownloadFileAsync("org/model", "model.safetensors"));
        Assert.Contains("announced", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_cache, "models--org--model", "snapshots")));
    }

    [Fact]
    public async Task GatedAndMissingFilesGiveClearErrors()
    {
        using var anonymous = Client();
        var denied = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.DownloadFileAsync("gated/model", "config.json"));
        Assert.Contains("HF_TOKEN", denied.Message);
        Assert.DoesNotContain("secret-token", denied.Message);
        using var authorized = Client(token: "secret-token");
        Assert.Equal(Config, File.ReadAllBytes(await authorized.DownloadFileAsync("gated/model", "config.json")));
        await Assert.ThrowsAsync<HubFileNotFoundException>(() => anonymous.DownloadFileAsync("org/model", "missing.bin"));
        Assert.Throws<ArgumentException>(() => anonymous.FileUrl("not a repo", "x"));
    }

    [Fact]
    public async Task AModelDownloadedFromTheHubLoadsAsASentenceEncoder()
    {
        var source = Directory.CreateTempSubdirectory("hn-hub-src-").FullName;
        try
        {
            var tokenizer = new HardNegatives.Tokenization.BertTokenizer(HardNegatives.Data.KitPaths.BertBaseUncasedVocab);
            using var encoder = SentenceEncoder.CreateDistilBert(new DistilBertConfig(Dim: 8, NLayers: 1, NHeads: 2, HiddenDim: 16), tokenizer, seed: 3);
            encoder.Save(source);
            foreach (var f in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(source, f).Replace('\\', '/');
                _hub.Add("org/bi", rel, File.ReadAllBytes(f), lfs: rel.EndsWith(".safetensors"));
            }
            var folder = await ModelResolver.ResolveAsync("org/bi", options: new HfHubOptions(_hub.Endpoint, null, _cache, false));
            using var loaded = SentenceEncoder.Load(folder, TorchSharp.torch.CPU);
            Assert.Equal(encoder.EncodeToArrays(["hello hub"]), loaded.EncodeToArrays(["hello hub"]));
        }
        finally { Directory.Delete(source, true); }
    }
}
