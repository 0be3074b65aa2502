using System.CommandLine;
using System.Diagnostics;
using HardNegatives.Cli.Commands;
using HardNegatives.Data;
using HardNegatives.Generation;
using HardNegatives.Negatives;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.Generation;

/// <summary><c>hn generate</c> on the bundled SciFact train split against a loopback server, in-process and as a killed process.</summary>
[Collection(HardNegatives.Tests.BadInput.InProcessProgressCollection.Name)] // one live progress display per process
public sealed class GenerateCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-gen-cli-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The first (query, positive) pairs of SciFact train, read straight from the qrels file (grade &gt; 0, file order).</summary>
    static List<(string Query, string Doc)> SciFactTrainPairs(int count)
    {
        var qrels = Path.Combine(KitPaths.BundledData, "bundled", "scifact", "qrels", "train.tsv");
        return File.ReadLines(qrels).Skip(1).Select(l => l.Split('\t')).Where(f => int.Parse(f[2]) > 0)
            .Select(f => (f[0], f[1])).Take(count).ToList();
    }

    [Fact]
    public async Task Generate_writes_triples_for_scifact_train_pairs()
    {
        await using var server = new LoopbackChatServer(r => LoopbackChatReply.Ok(Sized(r)));
        var output = Path.Combine(_dir, "scifact-llm.jsonl");
        var root = new RootCommand { GenerateCommand.Create() };
        var code = await root.Parse([
            "generate", "--dataset", "scifact", "--split", "train", "--endpoint", server.BaseUri.ToString(), "--model", "test-model",
            "--template", "hn-negatives-fewshot-v1", "--num-negatives", "2", "--concurrency", "3", "--limit", "6", "--output", output,
        ]).InvokeAsync();

        Assert.Equal(0, code);
        var triples = TriplesFile.Read(output).ToList();
        Assert.Equal(SciFactTrainPairs(6), triples.Select(t => (t.QueryId, t.PositiveId)));
        Assert.All(triples, t =>
        {
            Assert.Equal("llm:test-model", t.Source);
            Assert.Equal(2, t.Negatives.Count);
            Assert.Equal("hn-negatives-fewshot-v1", t.Options!["template"]);
        });
        Assert.True(File.Exists(output + ".cache.jsonl"));
        Assert.Equal(6, server.Hits);
    }

    [Fact]
    public async Task Server_backends_need_an_endpoint()
    {
        var root = new RootCommand { GenerateCommand.Create() };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => root.Parse([
            "generate", "--dataset", "scifact", "--model", "m", "--output", Path.Combine(_dir, "x.jsonl"),
        ]).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        Assert.Contains("--endpoint", e.Message);
    }

    [Fact]
    public async Task Bad_endpoint_is_one_clear_error()
    {
        var root = new RootCommand { GenerateCommand.Create() };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => root.Parse([
            "generate", "--dataset", "scifact", "--endpoint", "localhost:8000", "--model", "m", "--output", Path.Combine(_dir, "x.jsonl"),
        ]).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        Assert.Contains("--endpoint 'localhost:8000'", e.Message);
    }

    /// <summary>
    /// The real thing: <c>hn generate</c> as a child process, killed with SIGKILL while requests are in flight, then run
    /// again. The second run asks only for the items the first did not finish, and the output is complete.
    /// </summary>
    [Fact]
    public async Task Killed_process_resumes_without_asking_again_for_finished_items()
    {
        var output = Path.Combine(_dir, "killed.jsonl");
        Process? child = null;
        await using (var first = new LoopbackChatServer(r =>
        {
            if (r.Number == 12) _ = Task.Run(() => child!.Kill(entireProcessTree: true));
            // From the kill on the server stalls, so however slowly the kill lands, the run cannot finish first.
            return LoopbackChatReply.Ok(Sized(r), r.Number >= 12 ? TimeSpan.FromMinutes(1) : TimeSpan.FromMilliseconds(50));
        }))
        {
            child = StartHn(first.BaseUri, output);
            await child.WaitForExitAsync();
            Assert.NotEqual(0, child.ExitCode);
        }
        Assert.False(File.Exists(output));
        HashSet<string> done;
        using (var cache = GenerationCache.Open(output + ".cache.jsonl"))
            done = cache.Entries.Values.Where(e => e.Status == GenerationCacheEntry.Done).Select(e => e.QueryId + "/" + e.PositiveId).ToHashSet();
        Assert.InRange(done.Count, 8, 11); // 11 answered before the stall; at most 3 of them were still being written

        await using var second = new LoopbackChatServer(r => LoopbackChatReply.Ok(Sized(r)));
        using (var again = StartHn(second.BaseUri, output))
        {
            await again.WaitForExitAsync();
            Assert.Equal(0, again.ExitCode);
        }
        Assert.Equal(30 - done.Count, second.Hits);
        var triples = TriplesFile.Read(output).ToList();
        Assert.Equal(SciFactTrainPairs(30), triples.Select(t => (t.QueryId, t.PositiveId)));
        Assert.All(triples, t => Assert.Equal(3, t.Negatives.Count));
    }

    static Process StartHn(Uri endpoint, string output)
    {
        var hn = Path.Combine(AppContext.BaseDirectory, "hn.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { hn, "generate", "--dataset", "scifact", "--endpoint", endpoint.ToString(), "--model", "test-model",
                     "--concurrency", "4", "--limit", "30", "--output", output })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        // Drain the pipes so the child never blocks on a full buffer.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }
}
