using System.Text.Json;
using HardNegatives.Training;
using TorchSharp;

namespace HardNegatives.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public sealed class ContrastiveTrainerTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "hn-train-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    static readonly TrainingOptions Options = new(Epochs: 2, BatchSize: 4, LearningRate: 0.05, WarmupRatio: 0.2, HardNegatives: 1, Seed: 17, CheckpointEvery: 3);

    sealed class SimulatedKill : Exception;

    [Theory]
    [InlineData(LossKind.Mnrl, 1, 8)]
    [InlineData(LossKind.CachedMnrl, 2, 5)]
    [InlineData(LossKind.Triplet, 1, 4)]
    [InlineData(LossKind.Mnrl, 1, 5)]
    [InlineData(LossKind.Triplet, 1, 8)]
    [InlineData(LossKind.Mnrl, 1, 11)]
    public void AKilledAndResumedRunEndsWithExactlyTheUninterruptedWeights(LossKind loss, int accumulation, int killAtStep)
    {
        var triples = TrainingData.Triples(24);
        var options = Options with { Loss = loss, GradientAccumulation = accumulation, MiniBatchSize = 3 };

        using var reference = new TinyBagEncoder(dropoutRate: 0.1);
        var full = ContrastiveTrainer.Train(reference, triples, options, Path.Combine(_dir, "a"));

        var killedDir = Path.Combine(_dir, "b");
        using (var killed = new TinyBagEncoder(dropoutRate: 0.1))
            Assert.Throws<SimulatedKill>(() => ContrastiveTrainer.Train(killed, triples, options, killedDir,
                new SyncProgress<TrainingProgress>(p => { if (p.Step == killAtStep) throw new SimulatedKill(); })));
        Assert.NotNull(TrainingCheckpoint.Latest(Path.Combine(killedDir, ContrastiveTrainer.CheckpointsFolderName)));

        // A new process would build the model afresh (other initial weights) and resume from the checkpoint.
        using var resumed = new TinyBagEncoder(dropoutRate: 0.1, seed: 99);
        var result = ContrastiveTrainer.Train(resumed, triples, options, killedDir);

        Assert.Equal(killAtStep / 3 * 3, result.ResumedFromStep);
        Assert.Equal(full.Steps, result.Steps);
        var expected = reference.Snapshot();
        var actual = resumed.Snapshot();
        foreach (var (name, values) in expected) Assert.Equal(values, actual[name]);   // bit-identical
        Assert.NotEqual(new TinyBagEncoder(dropoutRate: 0.1).Snapshot()["proj.weight"], actual["proj.weight"]);   // and trained

        var steps = File.ReadLines(Path.Combine(killedDir, ContrastiveTrainer.LogFileName)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32());
        Assert.Equal(Enumerable.Range(1, full.Steps), steps);
        Assert.False(Directory.Exists(Path.Combine(killedDir, ContrastiveTrainer.CheckpointsFolderName)));
        Assert.True(File.Exists(Path.Combine(killedDir, "tiny.bin")));
    }

    [Fact]
    public void TheLiveTensorCountIsFlatAcrossSteps()
    {
        var counts = new List<long>();
        using var model = new TinyBagEncoder(dropoutRate: 0.1);
        ContrastiveTrainer.Train(model, TrainingData.Triples(40, negatives: 2), Options with { Epochs = 1, HardNegatives = 2, CheckpointEvery = 4, Loss = LossKind.CachedMnrl },
            Path.Combine(_dir, "leak"), new SyncProgress<TrainingProgress>(_ => counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount)));
        Assert.True(counts.Count >= 8, $"{counts.Count} steps");
        Assert.All(counts.Skip(1), c => Assert.Equal(counts[1], c));
    }

    [Fact]
    public void TrainingLowersTheLossAndLogsEveryStep()
    {
        var reports = new List<TrainingProgress>();
        using var model = new TinyBagEncoder();
        var result = ContrastiveTrainer.Train(model, TrainingData.Triples(48), Options with { Epochs = 6, BatchSize = 8, LearningRate = 0.05, CheckpointEvery = 0 },
            Path.Combine(_dir, "learn"), new SyncProgress<TrainingProgress>(reports.Add));
        Assert.Equal(result.Steps, reports.Count);
        Assert.Equal(reports.Count, reports[^1].TotalSteps);
        Assert.True(reports.TakeLast(6).Average(r => r.Loss) < 0.7 * reports.Take(6).Average(r => r.Loss),
            $"first {reports.Take(6).Average(r => r.Loss):F3}, last {reports.TakeLast(6).Average(r => r.Loss):F3}");
        Assert.Equal(0.0, reports[0].LearningRate);
        Assert.All(reports, r => Assert.True(r.GradNorm > 0 && r.ExamplesPerSecond > 0));
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "learn", ContrastiveTrainer.SummaryFileName))).RootElement;
        Assert.True(summary.GetProperty("completed").GetBoolean());
    }

    [Fact]
    public void ResumingWithOtherOptionsIsRefusedWithAClearMessage()
    {
        var dir = Path.Combine(_dir, "mismatch");
        var triples = TrainingData.Triples(24);
        using (var m = new TinyBagEncoder())
            Assert.Throws<SimulatedKill>(() => ContrastiveTrainer.Train(m, triples, Options, dir,
                new SyncProgress<TrainingProgress>(p => { if (p.Step == 4) throw new SimulatedKill(); })));
        using var other = new TinyBagEncoder();
        var e = Assert.Throws<InvalidOperationException>(() => ContrastiveTrainer.Train(other, triples, Options with { LearningRate = 0.01 }, dir));
        Assert.Contains("other options or triples", e.Message);
    }

    [Fact]
    public void RowsWithTooFewNegativesAreSkippedAndCounted()
    {
        var triples = TrainingData.Triples(12, negatives: 2).Concat(TrainingData.Triples(5, negatives: 1).Select(t => t with { QueryId = "x" + t.QueryId, Query = "other " + t.Query })).ToList();
        using var model = new TinyBagEncoder();
        var result = ContrastiveTrainer.Train(model, triples, Options with { HardNegatives = 2, Epochs = 1, CheckpointEvery = 0 }, Path.Combine(_dir, "skip"));
        Assert.Equal(12, result.Rows);
        Assert.Equal(5, result.SkippedRows);
        Assert.Throws<ArgumentException>(() => ContrastiveTrainer.Train(model, triples, Options with { HardNegatives = 3 }, Path.Combine(_dir, "skip3")));
    }

    [Fact]
    public void MaxStepsStopsMidEpochAndDecaysTheRateOverItsOwnLength()
    {
        var reports = new List<TrainingProgress>();
        using var model = new TinyBagEncoder();
        var result = ContrastiveTrainer.Train(model, TrainingData.Triples(24), Options with { MaxSteps = 8, WarmupRatio = 0.25, CheckpointEvery = 0 },
            Path.Combine(_dir, "max"), new SyncProgress<TrainingProgress>(reports.Add));
        Assert.Equal(8, result.Steps);
        Assert.Equal(2, result.Epochs);
        Assert.Equal(8, reports[^1].TotalSteps);
        var s = new LinearWarmupSchedule(Options.LearningRate, 2, 8);
        Assert.Equal(Enumerable.Range(0, 8).Select(s.At), reports.Select(r => r.LearningRate));
    }
}
