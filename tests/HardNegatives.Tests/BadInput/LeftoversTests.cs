using System.Diagnostics;
using HardNegatives.Data;

namespace HardNegatives.Tests.BadInput;

/// <summary>Case 9: temporaries a killed run left behind are cleaned by the next write or by <c>hn cache clean</c>.</summary>
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
}
