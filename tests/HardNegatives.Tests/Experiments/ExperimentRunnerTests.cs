using System.Collections.Concurrent;
using HardNegatives.Experiments;

namespace HardNegatives.Tests.Experiments;

public class ExperimentRunnerTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("hn-store-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    static ExperimentSpec Spec(int seeds = 2) => new(
        "test",
        new TrainingDataSpec("scifact"),
        [new NegativeSourceSpec(NegativeSourceKind.Random, "Random"), new NegativeSourceSpec(NegativeSourceKind.Bm25, "BM25")],
        new ModelSpec("tiny:layers=1,dim=32"),
        new EvaluationSpec(["scifact", "nfcorpus"]),
        Enumerable.Range(1, seeds).ToList());

    /// <summary>Stages that only write small files and count calls; optionally fail after N calls (a "kill").</summary>
    sealed class CountingStages(int failAfter = int.MaxValue) : IExperimentStages
    {
        public readonly ConcurrentQueue<string> Calls = new();
        IReadOnlyDictionary<string, string> Do(string what, string dir, string file)
        {
            if (Calls.Count >= failAfter) throw new OperationCanceledException("killed");
            Calls.Enqueue(what);
            if (file == ArtifactFiles.Model) Directory.CreateDirectory(Path.Combine(dir, file));
            else File.WriteAllText(Path.Combine(dir, file), what);
            return new Dictionary<string, string> { ["what"] = what };
        }
        public Task<IReadOnlyDictionary<string, string>> MakeNegativesAsync(NegativeSourceSpec s, TrainingDataSpec t, int seed, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"neg {s.Name}", dir, ArtifactFiles.Triples));
        public Task<IReadOnlyDictionary<string, string>> TrainAsync(ModelSpec m, string triples, int seed, string dir, IProgress<StepProgress> p, CancellationToken ct)
        {
            Assert.True(File.Exists(triples));
            return Task.FromResult(Do($"train {File.ReadAllText(triples)} {seed}", dir, ArtifactFiles.Model));
        }
        public Task<IReadOnlyDictionary<string, string>> RetrieveDenseAsync(string model, string ds, string split, int k, int? maxLength, string dir, IProgress<StepProgress> p, CancellationToken ct)
        {
            Assert.True(Directory.Exists(model));
            return Task.FromResult(Do($"dense {ds}", dir, ArtifactFiles.Run));
        }
        public Task<IReadOnlyDictionary<string, string>> RetrieveBm25Async(string ds, string split, int k, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"bm25 {ds}", dir, ArtifactFiles.Run));
        public Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string ds, string split, string run, IReadOnlyList<string> m, string averageOver, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"eval {File.ReadAllText(run)}", dir, ArtifactFiles.PerQuery));
    }

    [Fact]
    public async Task ASecondRunReusesEveryStoredArtifact()
    {
        var plan = ExperimentPlanner.Plan(Spec());
        var stages = new CountingStages();
        var first = await new ExperimentRunner(new ArtifactStore(_root), stages).RunAsync(plan);
        // 2 sources × (1 negatives + 2 seeds × (1 train + 2 datasets × 2)) + baseline 2 datasets × 2 = 2×11 + 4 = 26
        Assert.Equal(26, stages.Calls.Count);
        Assert.All(first.Status.Values, s => Assert.Equal(StepStatus.Ran, s));

        var again = new CountingStages();
        var second = await new ExperimentRunner(new ArtifactStore(_root), again).RunAsync(plan);
        Assert.Empty(again.Calls);
        Assert.All(second.Status.Values, s => Assert.Equal(StepStatus.Reused, s));
    }

    [Fact]
    public async Task AKilledRunResumesWithoutRedoingFinishedStepsAndLeavesNoHalfArtifacts()
    {
        var plan = ExperimentPlanner.Plan(Spec());
        var killed = new CountingStages(failAfter: 9);
        await Assert.ThrowsAsync<OperationCanceledException>(() => new ExperimentRunner(new ArtifactStore(_root), killed).RunAsync(plan));
        Assert.Equal(9, killed.Calls.Count);
        // Nothing half-done is published: every stored artifact has its metadata, and the killed step left only its work folder.
        Assert.All(Directory.GetDirectories(_root).SelectMany(Directory.GetDirectories).Where(d => !Path.GetFileName(d).StartsWith(".tmp-")),
            d => Assert.True(File.Exists(Path.Combine(d, "artifact.json")), d));

        var resumed = new CountingStages();
        var outcome = await new ExperimentRunner(new ArtifactStore(_root), resumed).RunAsync(plan);
        Assert.Equal(26 - 9, resumed.Calls.Count);
        Assert.DoesNotContain(resumed.Calls, c => killed.Calls.Contains(c) && (c.StartsWith("neg") || c.StartsWith("train")));
        Assert.Equal(9, outcome.Status.Values.Count(s => s == StepStatus.Reused));
    }

    [Fact]
    public async Task ForceRedoesOneStageAndOnlyRunsItsStepsWithOnly()
    {
        var plan = ExperimentPlanner.Plan(Spec(seeds: 1));
        await new ExperimentRunner(new ArtifactStore(_root), new CountingStages()).RunAsync(plan);
        var forced = new CountingStages();
        await new ExperimentRunner(new ArtifactStore(_root), forced).RunAsync(plan, new RunOptions(Force: Stages.Evaluate));
        Assert.All(forced.Calls, c => Assert.StartsWith("eval", c));
        Assert.Equal(plan.Steps.Count(s => s.Stage == Stages.Evaluate), forced.Calls.Count);
    }

    [Fact]
    public async Task OnlyRefusesToRunAStageWhoseInputsAreMissing()
    {
        var plan = ExperimentPlanner.Plan(Spec(seeds: 1));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ExperimentRunner(new ArtifactStore(_root), new CountingStages()).RunAsync(plan, new RunOptions(Only: Stages.Train)));
        Assert.Contains("negatives/Random", e.Message);
    }

    [Fact]
    public async Task ASecondWriterOnTheSameStoreIsRefusedWithAClearMessage()
    {
        var store = new ArtifactStore(_root);
        using var held = store.Lock();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ExperimentRunner(store, new CountingStages()).RunAsync(ExperimentPlanner.Plan(Spec(seeds: 1))));
        Assert.Contains("another hn process", e.Message);
    }

    [Fact]
    public async Task EveryArtifactRecordsSpecHashSeedVersionsAndCommit()
    {
        var plan = ExperimentPlanner.Plan(Spec(seeds: 1));
        var outcome = await new ExperimentRunner(new ArtifactStore(_root), new CountingStages()).RunAsync(plan);
        var train = outcome.Artifacts["train/BM25/seed=1"];
        var reread = new ArtifactStore(_root).TryGet(train.Stage, train.Key)!;
        Assert.Equal(plan.SpecHash, reread.Provenance.SpecHash);
        Assert.Equal(1, reread.Provenance.Seed);
        Assert.Contains("TorchSharp", reread.Provenance.PackageVersions.Keys);
        Assert.False(string.IsNullOrEmpty(reread.Provenance.GitCommit));
    }
}
