using HardNegatives.Experiments;
using HardNegatives.Negatives;
using HardNegatives.Tests.Models;

namespace HardNegatives.Tests.Experiments;

/// <summary>
/// The real stages on a small spec over bundled SciFact: every negative source the kit can run offline (random, BM25,
/// a small random-weight cross-encoder saved in Hugging Face format), training, dense and BM25 retrieval, evaluation and the
/// report; killed after the first trained model and resumed without redoing what was stored.
/// </summary>
[Trait("Category", "RealData")]
public class KitStagesIntegrationTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("hn-kit-stages-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ASmallExperimentRunsEveryStageAndResumesAfterAKill()
    {
        var ce = Path.Combine(_root, "cross-encoder");
        using (var random = CrossEncoderTests.RandomCrossEncoder(seed: 3)) random.Save(ce);
        var spec = new ExperimentSpec(
            "integration",
            new TrainingDataSpec("scifact", Limit: 24),
            [
                new NegativeSourceSpec(NegativeSourceKind.Random, "Random", NumNegatives: 1),
                new NegativeSourceSpec(NegativeSourceKind.Bm25, "BM25", NumNegatives: 1, RangeMin: 0, RangeMax: 10),
                new NegativeSourceSpec(NegativeSourceKind.Ce, "CE", NumNegatives: 1, RangeMin: 0, RangeMax: 10, Model: ce, Candidates: 20),
                new NegativeSourceSpec(NegativeSourceKind.Llm, "LLM", Model: "some-model", Backend: "openai"),
            ],
            new ModelSpec("tiny:layers=1,dim=32", BatchSize: 8, LearningRate: 1e-3, MaxLength: 32, MaxSteps: 2),
            new EvaluationSpec(["scifact"], TopK: 100, Metrics: ["ndcg_cut.10", "recall.100"]),
            [1]);
        var plan = ExperimentPlanner.Plan(spec);
        var store = new ArtifactStore(Path.Combine(_root, "store"));

        // Kill: cancel as soon as the first model is stored.
        using var kill = new CancellationTokenSource();
        var progress = new SynchronousProgress<ExperimentProgress>(p => { if (p.Step.Stage == Stages.Train && p.Status == StepStatus.Ran) kill.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ExperimentRunner(store, new KitStages()).RunAsync(plan, null, progress, kill.Token));

        var outcome = await new ExperimentRunner(store, new KitStages()).RunAsync(plan);
        Assert.Equal(StepStatus.Reused, outcome.Status["negatives/Random"]);
        Assert.Equal(StepStatus.Reused, outcome.Status["train/Random/seed=1"]);
        Assert.Equal(StepStatus.Ran, outcome.Status["train/BM25/seed=1"]);
        Assert.All(plan.Steps, s => Assert.True(outcome.Artifacts.ContainsKey(s.Id), s.Id));

        var ceRows = TriplesFile.Read(outcome.Artifacts["negatives/CE"].File(ArtifactFiles.Triples)).ToList();
        Assert.NotEmpty(ceRows);
        Assert.All(ceRows, t => Assert.Equal("ce", t.Source));
        var bm25Rows = TriplesFile.Read(outcome.Artifacts["negatives/BM25"].File(ArtifactFiles.Triples)).ToList();
        Assert.All(bm25Rows, t => Assert.DoesNotContain(t.Negatives, n => n.Id == t.PositiveId));

        var report = await ExperimentReport.WriteAsync(outcome, Path.Combine(_root, "report"), KitStages.Significance);
        var table = File.ReadAllText(report.Markdown);
        Assert.Contains("| BM25 (no training) | **0.6789**", table); // Pyserini's flat BM25 on SciFact test, as the BM25 tests check
        Assert.Contains("| LLM | not run |", table);
        Assert.Contains("| CE |", File.ReadAllText(report.Diagnostics));
        Assert.Null(report.Scaling); // no LLM source with a size ran
    }

    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
