using System.CommandLine;
using System.Security.Cryptography;
using HardNegatives.Cli;
using HardNegatives.Data;
using HardNegatives.Generation;
using HardNegatives.Tests.Data;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.BadInput;

/// <summary>Case 10: the smaller ones (wrong reply shape, read-only folders, oversized downloads; --limit -1 is in the table).</summary>
[Collection(HardNegatives.Tests.BadInput.InProcessProgressCollection.Name)] // runs hn in-process: one live progress display per process
public sealed class SmallerCasesTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-smaller-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_reply_of_the_wrong_json_shape_is_named_as_such()
    {
        await using var server = new LoopbackChatServer(_ => new LoopbackChatReply { RawBody = "{\"answer\": 42}" });
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "test-model");
        var result = await new SyntheticNegativeGenerator(client, Options(Path.Combine(_dir, "c.jsonl"))).GenerateAsync(Items(1));
        var failure = Assert.Single(result.Summary.Failures);
        Assert.Contains("the answer is not a chat completion", failure.Error);
        Assert.Contains("/v1", failure.Error);
    }

    [Fact]
    public async Task Access_denied_says_what_to_do()
    {
        var root = new RootCommand("hn");
        var command = new Command("boom");
        command.SetAction((_, _) => Task.FromException<int>(new UnauthorizedAccessException("Access to the path '/ro/store' is denied.")));
        root.Subcommands.Add(command);
        var error = new StringWriter();
        Assert.Equal(1, await CliRunner.InvokeAsync(root, ["boom"], error));
        Assert.Contains("HN_HOME", error.ToString());
    }

    [Fact]
    public async Task A_download_larger_than_the_registry_knows_is_stopped()
    {
        using var server = new LoopbackHttpServer();
        var big = new byte[4 << 20];
        server.Files["big.zip"] = big;
        var entry = new DatasetEntry("big", "big", "test", new Uri(server.BaseUrl, "big.zip"), null,
            Convert.ToHexStringLower(SHA256.HashData(big)), 1000, ["test"], 1, "1", "", "test", false);
        using var http = new HttpClient();
        var downloader = new DatasetDownloader(http, new DownloadOptions(_dir, MaxAttempts: 1, RetryDelay: TimeSpan.Zero));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => downloader.FetchAsync(entry));
        Assert.Contains("the registry knows big.zip as 1,000 bytes", e.Message);
        Assert.Empty(Directory.EnumerateFiles(_dir, "*.part", SearchOption.AllDirectories));
    }
}
