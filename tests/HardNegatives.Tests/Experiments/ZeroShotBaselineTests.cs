using System.Collections.Concurrent;
using HardNegatives.Experiments;

namespace HardNegatives.Tests.Experiments;

/// <summary><c>zero_shot_baseline</c>: the untrained base model retrieves and is evaluated as a row of its own.</summary>
public class ZeroShotBaselineTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("hn-store-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    const string Json = """
        { "name": "zs", "training": { "dataset": "scifact" },
          "sources": [ { "kind": "dense", "name": "Dense", "model": "all-MiniLM-L6-v2" } ],
          "model": { "base": "all-MiniLM-L6-v2" },
          "evaluation": { "datasets": ["scifact"] }, "seeds": [1], "zero_shot_baseline": true }
        """;

    sealed class RecordingStages : IExperimentStages
    {
        public readonly ConcurrentQueue<string> Calls = new();
        IReadOnlyDictionary<string, string> Do(string what, string dir, string file)
        {
            Calls.Enqueue(what);
            if (file == ArtifactFiles.Model) Directory.CreateDirectory(Path.Combine(dir, file));
            else File.WriteAllText(Path.Combine(dir, file), what);
            return new Dictionary<string, string>();
        }
        public Task<IReadOnlyDictionary<string, string>> MakeNegativesAsync(NegativeSourceSpec s, TrainingDataSpec t, int seed, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"neg {s.Kind}", dir, ArtifactFiles.Triples));
        public Task<IReadOnlyDictionary<string, string>> TrainAsync(ModelSpec m, string triples, int seed, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"train {m.Base}", dir, ArtifactFiles.Model));
        public Task<IReadOnlyDictionary<string, string>> RetrieveDenseAsync(string model, string ds, string split, int k, int? maxLength, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"dense {(Directory.Exists(model) ? "trained" : model)}", dir, ArtifactFiles.Run));
        public Task<IReadOnlyDictionary<string, string>> RetrieveBm25Async(string ds, string split, int k, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("bm25", dir, ArtifactFiles.Run));
        public Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string ds, string split, string run, IReadOnlyList<string> m, string averageOver, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"eval {File.ReadAllText(run)}", dir, ArtifactFiles.PerQuery));
    }

    [Fact]
    public async Task TheBaseModelRetrievesUntrained_AsItsOwnRow()
    {
        var spec = ExperimentSpecLoader.Parse(Json, "zs.json");
        Assert.Equal(NegativeSourceKind.Dense, spec.Sources[0].Kind);
        var plan = ExperimentPlanner.Plan(spec);
        var zeroShot = plan.Steps.Where(s => s.BaseModel is not null).ToList();
        Assert.Equal(["retrieve/zero-shot/scifact", "evaluate/zero-shot/scifact"], zeroShot.Select(s => s.Id));
        Assert.All(zeroShot, s => Assert.DoesNotContain(plan[s.Id].DependsOn, d => d.StartsWith("train")));

        var stages = new RecordingStages();
        await new ExperimentRunner(new ArtifactStore(_root), stages).RunAsync(plan);
        Assert.Contains("dense all-MiniLM-L6-v2", stages.Calls);
        Assert.Contains("dense trained", stages.Calls);
        Assert.Contains("eval dense all-MiniLM-L6-v2", stages.Calls);
        Assert.Equal("all-MiniLM-L6-v2 (no training)", ExperimentPlan.ZeroShotRow(spec));
    }

    [Fact]
    public void LeavingItOut_KeepsTheSpecHash()
    {
        var without = ExperimentSpecLoader.Parse(Json.Replace(""", "zero_shot_baseline": true""", ""), "zs.json");
        Assert.Null(without.ZeroShotBaseline);
        Assert.DoesNotContain("zero_shot", HardNegatives.Experiments.ArtifactKey.Canonical(System.Text.Json.JsonSerializer.SerializeToNode(without, ExperimentSpecLoader.Json)));
        Assert.DoesNotContain(ExperimentPlanner.Plan(without).Steps, s => s.BaseModel is not null);
    }
}
