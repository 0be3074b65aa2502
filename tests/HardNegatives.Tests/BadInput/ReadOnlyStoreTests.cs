using HardNegatives.Tests.Data;

namespace HardNegatives.Tests.BadInput;

/// <summary>A complete store under <c>$HN_HOME</c>, made once by a real <c>hn reproduce</c> of a tiny spec (about a minute on a busy CPU).</summary>
public sealed class CompleteStore : IDisposable
{
    public const string Spec = """
        {
          "name": "readonly",
          "training": { "dataset": "scifact", "split": "train", "limit": 16 },
          "sources": [ { "kind": "random", "name": "Random", "num_negatives": 1 } ],
          "model": { "base": "tiny:layers=1,dim=32", "batch_size": 8, "max_steps": 2, "max_length": 32, "learning_rate": 1e-3 },
          "evaluation": { "datasets": ["scifact"], "top_k": 10 },
          "seeds": [1]
        }
        """;

    public string Root { get; } = Directory.CreateTempSubdirectory("hn-readonly-store-").FullName;
    public string Home => Path.Combine(Root, "home");
    public string SpecPath => Path.Combine(Root, "spec.json");
    /// <summary>Exit code and stderr of the run that made the store.</summary>
    public (int Code, string Error) First { get; }

    public CompleteStore()
    {
        File.WriteAllText(SpecPath, Spec);
        var run = HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = Home }, "reproduce", SpecPath, "--output", Path.Combine(Root, "first"));
        First = (run.ExitCode, run.StdErr);
    }

    /// <summary>Every file and folder under <c>$HN_HOME</c> with its size and write time: a write anywhere changes it.</summary>
    public IReadOnlyList<string> Snapshot() =>
        new DirectoryInfo(Home).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(new DirectoryInfo(Home))
            .Select(i => $"{Path.GetRelativePath(Home, i.FullName)} {(i as FileInfo)?.Length} {i.LastWriteTimeUtc.Ticks}")
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Takes write permission off (or gives it back to) every folder under <c>$HN_HOME</c>. Root ignores it.</summary>
    public void SetReadOnly(bool readOnly)
    {
        if (OperatingSystem.IsWindows()) return; // the kit's stores live on Linux and macOS; Windows ACLs are another matter
        const UnixFileMode write = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        foreach (var dir in Directory.EnumerateDirectories(Home, "*", SearchOption.AllDirectories).Prepend(Home))
            File.SetUnixFileMode(dir, readOnly ? File.GetUnixFileMode(dir) & ~write : File.GetUnixFileMode(dir) | UnixFileMode.UserWrite);
    }

    public void Dispose()
    {
        SetReadOnly(false);
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>
/// Case 10: a read-only <c>$HN_HOME</c> whose store already holds every result still renders the report, writing nothing
/// but the report folder; when something really needs writing, the error says so and what to do. The store is made
/// read-only by file modes; root writes through those, so as root hn runs as the user nobody (<c>setpriv</c>), for whom
/// the root-owned store is read-only. A snapshot of every file's size and time catches a write either way.
/// </summary>
public sealed class ReadOnlyStoreTests(CompleteStore store) : IClassFixture<CompleteStore>
{
    static readonly bool AsRoot = OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t");
    const string Setpriv = "/usr/bin/setpriv";

    /// <summary>Runs hn on the read-only store with the report going to a fresh folder that the runner can write.</summary>
    HnCli.Result RunReadOnly(string spec, string report)
    {
        var writable = Path.Combine(store.Root, "writable");
        Directory.CreateDirectory(writable);
        var environment = new Dictionary<string, string> { ["HN_HOME"] = store.Home, ["HOME"] = writable };
        if (!AsRoot) return HnCli.Run(environment, "reproduce", spec, "--output", Path.Combine(writable, report));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(store.Root, (UnixFileMode)Convert.ToInt32("755", 8));
            File.SetUnixFileMode(writable, (UnixFileMode)Convert.ToInt32("777", 8));
        }
        return HnCli.RunVia([Setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"], environment, "reproduce", spec, "--output", Path.Combine(writable, report));
    }

    [ReadOnlyFact]
    public void A_complete_read_only_store_renders_its_report_and_writes_nothing_there()
    {
        Assert.True(store.First.Code == 0, store.First.Error);
        var before = store.Snapshot();
        store.SetReadOnly(true);
        try
        {
            var run = RunReadOnly(store.SpecPath, "second");
            Assert.True(run.ExitCode == 0, run.StdErr);
            Assert.Equal(File.ReadAllText(Path.Combine(store.Root, "first", "table1.md")), File.ReadAllText(Path.Combine(store.Root, "writable", "second", "table1.md")));
            Assert.Equal(before, store.Snapshot());
        }
        finally { store.SetReadOnly(false); }
    }

    [ReadOnlyFact]
    public void A_read_only_store_that_lacks_a_result_says_what_needs_writing()
    {
        Assert.True(store.First.Code == 0, store.First.Error);
        var spec = Path.Combine(store.Root, "two-seeds.json");
        File.WriteAllText(spec, CompleteStore.Spec.Replace("\"seeds\": [1]", "\"seeds\": [1, 2]"));
        var before = store.Snapshot();
        store.SetReadOnly(true);
        try
        {
            var run = RunReadOnly(spec, "third");
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"error: the store {Path.Combine(store.Home, "store")} is read-only and 3 step(s) are not stored yet (first: train/Random/seed=2)",
                run.ErrorLines.Last());
            Assert.Equal(before, store.Snapshot());
        }
        finally { store.SetReadOnly(false); }
    }

    /// <summary>As root the test needs setpriv (util-linux) to drop to nobody: missing, it fails under CI=true and is skipped otherwise.</summary>
    sealed class ReadOnlyFactAttribute : FactAttribute
    {
        public ReadOnlyFactAttribute()
        {
            var ci = Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1";
            if (AsRoot && !File.Exists(Setpriv) && !ci) Skip = $"running as root without {Setpriv} (util-linux) to drop to an unprivileged user; read-only store test skipped";
        }
    }
}
