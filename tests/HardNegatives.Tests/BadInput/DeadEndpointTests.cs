using System.Net;
using System.Net.Sockets;
using HardNegatives.Experiments;
using HardNegatives.Generation;
using HardNegatives.Negatives;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.BadInput;

/// <summary>Case 3: an endpoint where nothing listens is found before any work, and named with its cause.</summary>
[Collection(InProcessProgressCollection.Name)]
public sealed class DeadEndpointTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-dead-endpoint-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A loopback port that was free a moment ago and has no listener now.</summary>
    internal static Uri DeadEndpoint()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1");
    }

    [Fact]
    public async Task The_probe_names_the_url_and_the_cause()
    {
        var dead = DeadEndpoint();
        await using var live = new LoopbackChatServer(_ => LoopbackChatReply.Ok(""));
        var status = await EndpointProbe.ProbeAsync([dead, live.BaseUri], ChatBackend.OpenAI);
        Assert.Contains("refused", status[0].Problem, StringComparison.OrdinalIgnoreCase);
        Assert.True(status[1].Reachable);
        Assert.Equal(0, live.Hits); // the probe is not a paid chat request
    }

    [Fact]
    public async Task Hn_generate_with_every_endpoint_down_stops_at_once_with_one_line()
    {
        var dead = DeadEndpoint();
        var run = await Hn.RunAsync("generate", "--dataset", "scifact", "--endpoint", dead.ToString(), "--model", "m",
            "--limit", "45", "--output", Path.Combine(_dir, "out.jsonl"));
        Assert.Equal(1, run.Code);
        Assert.StartsWith("error: no endpoint answered: " + ChatBackends.Label(dead), run.Error);
        Assert.Contains("refused", run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(_dir, "out.jsonl.cache.jsonl")));
    }

    [Fact]
    public async Task Hn_generate_stops_early_when_the_server_dies_mid_run_and_keeps_what_it_finished()
    {
        LoopbackChatServer? server = null;
        server = new LoopbackChatServer(r =>
        {
            if (r.Number <= 3) return LoopbackChatReply.Ok(Sized(r));
            server!.Crash(); // the fourth request kills the server: its listener closes, every later connection is refused
            return LoopbackChatReply.Cut();
        });
        var url = ChatBackends.Label(server.BaseUri);
        var output = Path.Combine(_dir, "out.jsonl");
        string[] args = ["generate", "--dataset", "scifact", "--model", "m", "--limit", "40", "--concurrency", "1",
            "--max-attempts", "2", "--quality-retries", "0", "--output", output];
        Hn.Outcome run;
        await using (server)
            run = await Hn.RunAsync([.. args, "--endpoint", server.BaseUri.ToString()]);

        Assert.Equal(2, run.Code);
        Assert.Equal(4, server.Hits); // nothing reached the dead server after it died, and no item after the stop was tried
        Assert.Contains("stopped early: 10 connection failures in a row", run.Output);
        Assert.Matches($@"most common cause, \d+ of 10: {System.Text.RegularExpressions.Regex.Escape(url)}: Connection refused", run.Output);
        Assert.Contains("3 of 40 items done", run.Output);
        Assert.Equal(3, TriplesFile.Read(output).Count());

        // The finished items stay cached: a rerun against a live server asks only for the other 37.
        await using var live = new LoopbackChatServer(r => LoopbackChatReply.Ok(Sized(r)));
        var rerun = await Hn.RunAsync([.. args, "--endpoint", live.BaseUri.ToString()]);
        Assert.Equal(0, rerun.Code);
        Assert.Equal(37, live.Hits);
        Assert.Equal(40, TriplesFile.Read(output).Count());
    }

    [Fact]
    public async Task A_dead_replica_is_left_out_and_the_live_one_does_the_work()
    {
        await using var live = new LoopbackChatServer(r => LoopbackChatReply.Ok(Sized(r)));
        var output = Path.Combine(_dir, "out.jsonl");
        var run = await Hn.RunAsync("generate", "--dataset", "scifact", "--endpoint", DeadEndpoint().ToString(),
            "--endpoint", live.BaseUri.ToString(), "--model", "m", "--limit", "3", "--output", output);
        Assert.Equal(0, run.Code);
        Assert.Equal(3, live.Hits);
        Assert.Equal(3, TriplesFile.Read(output).Count());
    }

    [Fact]
    public async Task Reproduce_with_a_dead_llm_endpoint_fails_before_generation()
    {
        var source = new NegativeSourceSpec(NegativeSourceKind.Llm, "LLM", Model: "m", Backend: "openai", Endpoints: [DeadEndpoint().ToString()]);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new KitStages().MakeNegativesAsync(source,
            new TrainingDataSpec(Dataset: "scifact", Limit: 2), 1, _dir, new Progress<StepProgress>(), CancellationToken.None));
        Assert.Contains("no endpoint answered", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "generation-cache.jsonl")));
    }
}
