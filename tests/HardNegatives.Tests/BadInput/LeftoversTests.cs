using System.Diagnostics;
using HardNegatives.Data;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 9: temporaries a killed run left behind are cleaned by the next write or by <c>hn cache clean</c>, and counted by
/// <c>hn data stats</c> and <c>hn data list</c>.
/// </summary>
[Collection(HardNegatives.Tests.BadInput.InProcessProgressCollection.Name)] // runs hn in-process: one live progress display per process
public sealed class LeftoversTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-leftovers-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The pid of a process that has exited.</summary>
    static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    string Temp(string target, int pid) => Path.Combine(_dir, $"{target}.{pid}.{Guid.NewGuid():N}.tmp");

    [Fact]
    public void The_next_atomic_write_removes_a_dead_writers_temporary_and_keeps_a_live_ones()
    {
        var dead = Temp("out.jsonl", DeadPid());
        var live = Temp("out.jsonl", Environment.ProcessId);
        File.WriteAllText(dead, "half");
        File.WriteAllText(live, "in progress");
        AtomicFile.WriteAllText(Path.Combine(_dir, "out.jsonl"), "done");
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public async Task Hn_cache_clean_counts_and_removes_half_built_index_folders()
    {
        var index = Temp("scifact-flat", DeadPid());
        Directory.CreateDirectory(index);
        File.WriteAllText(Path.Combine(index, "_0.cfs"), "segment");
        var dry = await Hn.RunAsync("cache", "clean", "--path", _dir, "--dry-run");
        Assert.Equal(0, dry.Code);
        Assert.True(Directory.Exists(index));
        Assert.Contains(index, StaleTemporaries.Find(_dir));
        var run = await Hn.RunAsync("cache", "clean", "--path", _dir);
        Assert.Equal(0, run.Code);
        Assert.False(Directory.Exists(index));
    }

    [Fact]
    public async Task Hn_data_stats_counts_the_leftovers_of_its_dataset()
    {
        var folder = Path.Combine(_dir, "tiny");
        Directory.CreateDirectory(Path.Combine(folder, "qrels"));
        File.WriteAllText(Path.Combine(folder, "corpus.jsonl"), "{\"_id\": \"d1\", \"title\": \"\", \"text\": \"one\"}\n");
        File.WriteAllText(Path.Combine(folder, "queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"first\"}\n");
        File.WriteAllText(Path.Combine(folder, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        var clean = await Hn.RunAsync("data", "stats", folder);
        Assert.Equal(0, clean.Code);
        Assert.Contains("leftovers  none", clean.Output);

        var stale = Path.Combine(folder, $"corpus.jsonl.{DeadPid()}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a corpus");
        var run = await Hn.RunAsync("data", "stats", folder);
        Assert.Equal(0, run.Code);
        Assert.Contains($"leftovers  1 stale temporary of killed runs (13 bytes) under {folder}", run.Output);
        Assert.Contains($"hn cache clean --path {folder} removes them", run.Output);
    }

    [Fact]
    public void Hn_data_list_counts_the_leftovers_under_hn_home()
    {
        var home = Path.Combine(_dir, "home");
        Directory.CreateDirectory(Path.Combine(home, "indexes", "scifact"));
        Directory.CreateDirectory(Path.Combine(home, "indexes", "scifact", $"flat-0123.{DeadPid()}.{Guid.NewGuid():N}.tmp"));
        var r = Data.HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = home }, "data", "list");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"leftovers  1 stale temporary of killed runs (0 bytes) under {home}; hn cache clean removes them", r.StdOut);
    }
}
