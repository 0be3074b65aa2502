using HardNegatives.Data;
using HardNegatives.Generation;
using HardNegatives.Models.Hub;
using HardNegatives.Tests.Data;
using HardNegatives.Tests.Models;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 10: a misspelled base model fails at spec check time with its line and the closest known names, never as a Hub
/// request; offline mode (HN_OFFLINE=1) is honoured by every network path: the Hub, dataset downloads, and generation
/// endpoints that are not on this machine. The offline cases run hn as a child process, since the switch is an
/// environment variable (setting it here would reach every test running in parallel).
/// </summary>
[Collection(InProcessProgressCollection.Name)]
public sealed class ModelNameAndOfflineTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-model-offline-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    Dictionary<string, string> Offline(FakeHub? hub = null)
    {
        var env = new Dictionary<string, string> { ["HN_OFFLINE"] = "1", ["HN_HOME"] = Path.Combine(_dir, "home"), ["HF_HUB_CACHE"] = Path.Combine(_dir, "hub") };
        if (hub is not null) env["HF_ENDPOINT"] = hub.Endpoint;
        return env;
    }

    [Fact]
    public async Task A_misspelled_model_base_fails_the_spec_check_with_its_line_and_the_closest_names()
    {
        var spec = Path.Combine(_dir, "spec.json");
        File.WriteAllText(spec, HostileSpecTests.Spec.Replace("tiny:layers=2,dim=64", "distilbert-base-uncasd"));
        var run = await Hn.RunAsync("reproduce", spec, "--dry-run");
        Assert.Equal(1, run.Code);
        Assert.Contains($"{spec}:8: model.base: no such local model or Hub id: 'distilbert-base-uncasd'", run.Error);
        Assert.Contains("closest known: distilbert-base-uncased", run.Error);
    }

    [Theory]
    [InlineData("tiny:layers=2,dim=64")]
    [InlineData("all-MiniLM-L6-v2")]
    [InlineData("distilbert-base-uncased")]
    [InlineData("sentence-transformers/msmarco-distilbert-base-v3")]
    public async Task Names_that_mean_something_pass_the_spec_check(string name)
    {
        var spec = Path.Combine(_dir, "spec.json");
        File.WriteAllText(spec, HostileSpecTests.Spec.Replace("tiny:layers=2,dim=64", name));
        var run = await Hn.RunAsync("reproduce", spec, "--dry-run");
        Assert.Equal("", run.Error);
        Assert.Equal(0, run.Code);
    }

    [Fact]
    public async Task A_name_that_is_no_hub_id_is_never_sent_to_the_hub()
    {
        using var hub = new FakeHub();
        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            ModelResolver.ResolveAsync("ms-marco-MiniLM-L6-v2", options: new HfHubOptions(Endpoint: hub.Endpoint, CacheDir: Path.Combine(_dir, "hub"))));
        Assert.Contains("no such local model or Hub id", e.Message);
        Assert.Empty(hub.Requests);
    }

    [Fact]
    public void Offline_a_hub_model_is_taken_from_the_cache_only()
    {
        using var hub = new FakeHub();
        var r = HnCli.Run(Offline(hub), "mine", "ce", "--dataset", "scifact", "--model", "cross-encoder/ms-marco-MiniLM-L6-v2", "--output", Path.Combine(_dir, "ce.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: offline (HN_OFFLINE or HF_HUB_OFFLINE is set) and cross-encoder/ms-marco-MiniLM-L6-v2@main is not in the cache", r.ErrorLines.Single());
        Assert.Empty(hub.Requests);
    }

    [Fact]
    public void Offline_a_dataset_is_never_downloaded_even_from_a_mirror()
    {
        using var mirror = new FakeHub(); // any loopback HTTP server that records requests
        var r = HnCli.Run(Offline(), "data", "fetch", "arguana", "--base-url", mirror.Endpoint);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: offline (HN_OFFLINE=1 or --offline): dataset 'arguana' is not in the cache", r.ErrorLines.Single());
        Assert.Empty(mirror.Requests);
    }

    [Fact]
    public void Offline_a_generation_endpoint_elsewhere_is_refused_before_any_connection()
    {
        var r = HnCli.Run(Offline(), "generate", "--dataset", "scifact", "--endpoint", "http://192.0.2.1:8000/v1", "--model", "m",
            "--limit", "2", "--output", Path.Combine(_dir, "out.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: offline (HN_OFFLINE is set): generation endpoint http://192.0.2.1:8000/v1 is not on this machine", r.ErrorLines.Single());
    }

    [Fact]
    public async Task Offline_a_generation_server_on_this_machine_is_still_used()
    {
        await using var local = new LoopbackChatServer(r => LoopbackChatReply.Ok(Sized(r)));
        var output = Path.Combine(_dir, "out.jsonl");
        var r = HnCli.Run(Offline(), "generate", "--dataset", "scifact", "--endpoint", local.BaseUri.ToString(), "--model", "m",
            "--limit", "2", "--output", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, local.Hits);
        Assert.Equal(2, HardNegatives.Negatives.TriplesFile.Read(output).Count());
    }
}
