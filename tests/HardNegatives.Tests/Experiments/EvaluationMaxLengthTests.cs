using System.Collections.Concurrent;
using HardNegatives.Experiments;

namespace HardNegatives.Tests.Experiments;

/// <summary><c>evaluation.max_length</c>: one token limit for every dense retrieval (trained and zero-shot rows alike).</summary>
public sealed class EvaluationMaxLengthTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("hn-store-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    const string Json = """
        { "name": "len", "training": { "dataset": "scifact" },
          "sources": [ { "kind": "bm25", "name": "BM25", "num_negatives": 1 } ],
          "model": { "base": "all-MiniLM-L6-v2", "max_length": 64 },
          "evaluation": { "datasets": ["scifact"] }, "seeds": [1], "zero_shot_baseline": true }
        """;

    static ExperimentSpec Spec(int? maxLength) => ExperimentSpecLoader.Parse(
        maxLength is { } n ? Json.Replace("""["scifact"] }""", $$"""["scifact"], "max_length": {{n}} }""") : Json, "len.json");

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
            Task.FromResult(Do("negatives", dir, ArtifactFiles.Triples));
        public Task<IReadOnlyDictionary<string, string>> TrainAsync(ModelSpec m, string triples, int seed, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("train", dir, ArtifactFiles.Model));
        public Task<IReadOnlyDictionary<string, string>> RetrieveDenseAsync(string model, string ds, string split, int k, int? maxLength, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do($"dense {(Directory.Exists(model) ? "trained" : model)} at {maxLength?.ToString() ?? "own"}", dir, ArtifactFiles.Run));
        public Task<IReadOnlyDictionary<string, string>> RetrieveBm25Async(string ds, string split, int k, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("bm25", dir, ArtifactFiles.Run));
        public Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string ds, string split, string run, IReadOnlyList<string> m, string averageOver, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("eval", dir, ArtifactFiles.PerQuery));
    }

    [Fact]
    public async Task EveryDenseRow_RetrievesAtTheSpecsLimit()
    {
        var stages = new RecordingStages();
        await new ExperimentRunner(new ArtifactStore(_root), stages).RunAsync(ExperimentPlanner.Plan(Spec(64)));
        Assert.Contains("dense trained at 64", stages.Calls);
        Assert.Contains("dense all-MiniLM-L6-v2 at 64", stages.Calls);
        Assert.DoesNotContain(stages.Calls, c => c.EndsWith("at own"));
    }

    [Fact]
    public async Task SettingIt_RerunsRetrievalAndEvaluationOnly()
    {
        await new ExperimentRunner(new ArtifactStore(_root), new RecordingStages()).RunAsync(ExperimentPlanner.Plan(Spec(null)));
        var stages = new RecordingStages();
        await new ExperimentRunner(new ArtifactStore(_root), stages).RunAsync(ExperimentPlanner.Plan(Spec(64)));
        Assert.Equal(["dense all-MiniLM-L6-v2 at 64", "dense trained at 64", "eval", "eval"], stages.Calls.Order());
    }

    [Fact]
    public void LeavingItOut_KeepsEveryKeyAndTheSpecHash()
    {
        var spec = Spec(null);
        Assert.Null(spec.Evaluation.MaxLength);
        Assert.Null(spec.Sources[0].MaxLength);
        var json = ArtifactKey.Canonical(System.Text.Json.JsonSerializer.SerializeToNode(spec, ExperimentSpecLoader.Json));
        Assert.DoesNotContain("max_length\":null", json);
        // The keys of a plan without the field equal those planned from options that never had it (specs written before it existed).
        var retrieve = ExperimentPlanner.Plan(spec).Steps.Single(s => s.Id == "retrieve/BM25/seed=1/scifact");
        Assert.Equal(ArtifactKey.OptionsHash(new { dataset = "scifact", Split = "test", TopK = 1000 }), retrieve.Parts!.Options);
    }
}
