using HardNegatives.Data;
using HardNegatives.Experiments;

namespace HardNegatives.Tests.Experiments;

public class ExperimentSpecLoaderTests
{
    const string Valid = """
        {
          "name": "tiny",
          "training": { "dataset": "scifact", "split": "train" },
          "sources": [
            { "kind": "random", "name": "Random" },
            { "kind": "bm25", "name": "BM25", "range_min": 10, "range_max": 100 }
          ],
          "model": { "base": "tiny:layers=2,dim=64", "batch_size": 16 },
          "evaluation": { "datasets": ["scifact"] },
          "seeds": [1, 2]
        }
        """;

    [Fact]
    public void AValidSpecLoadsWithDefaultsFilledIn()
    {
        var spec = ExperimentSpecLoader.Parse(Valid, "spec.json");
        Assert.Equal(2, spec.Sources.Count);
        Assert.Equal(NegativeSourceKind.Bm25, spec.Sources[1].Kind);
        Assert.Equal(HardNegatives.Mining.MiningDefaults.NumNegatives, spec.Sources[1].NumNegatives); // one set of defaults: spec = CLI = library
        Assert.Equal(new HardNegatives.Mining.HardNegativeMiningOptions().RangeMin, spec.Sources[0].RangeMin);
        Assert.Null(spec.Sources[0].RangeMax); // sentence-transformers' window rule, as hn mine and the library
        Assert.Equal(["ndcg_cut.10"], spec.Evaluation.MetricsOrDefault);
        Assert.Equal("test", spec.Evaluation.Split);
    }

    [Fact]
    public void LlamaCppIsAnLlmBackendThatNeedsNoEndpoint()
    {
        var json = Valid.Replace("""{ "kind": "random", "name": "Random" },""", """{ "kind": "llm", "name": "Tiny", "model": "tiny.gguf", "backend": "llamacpp" },""");
        var spec = ExperimentSpecLoader.Parse(json, "spec.json");
        Assert.Equal("llamacpp", spec.Sources[0].Backend);
        Assert.Null(SourceReadiness.WhyNotRunnable(spec.Sources[0], 0));
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(json.Replace("llamacpp", "llama.cpp"), "spec.json"));
        Assert.Contains("use openai, ollama, embedded or llamacpp", e.Message);
    }

    [Fact]
    public void AnUnknownFieldIsReportedWithItsLine()
    {
        var json = Valid.Replace("\"range_max\": 100", "\"range_maxx\": 100");
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(json, "spec.json"));
        Assert.Equal(6, e.Line);
        Assert.Contains("unknown field", e.Message);
    }

    [Fact]
    public void AnUnknownSourceKindIsReportedWithItsLine()
    {
        var json = Valid.Replace("\"kind\": \"random\"", "\"kind\": \"randm\"");
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(json, "spec.json"));
        Assert.Equal(5, e.Line);
    }

    [Fact]
    public void AveragingAndAlpha_AreVisibleOptions_CheckedAtLoadTime()
    {
        var spec = ExperimentSpecLoader.Parse(Valid, "spec.json");
        Assert.Equal(EvaluationSpec.AllJudged, spec.Evaluation.AverageOver); // trec_eval -c, as Anserini's regressions
        Assert.Equal(0.05, spec.Evaluation.Alpha);
        var inRun = ExperimentSpecLoader.Parse(Valid.Replace("\"datasets\": [\"scifact\"]", "\"datasets\": [\"scifact\"], \"average_over\": \"in_run\", \"alpha\": 0.01"), "spec.json");
        Assert.Equal(EvaluationSpec.InRun, inRun.Evaluation.AverageOver);
        Assert.Contains("queries present in the run", inRun.Evaluation.AveragingNote);
        // Averaging changes what evaluation stores, so it re-keys the evaluate steps; alpha only changes the report.
        var a = ExperimentPlanner.Plan(spec).Steps.Where(s => s.Stage == Stages.Evaluate).Select(s => s.Key);
        var b = ExperimentPlanner.Plan(inRun).Steps.Where(s => s.Stage == Stages.Evaluate).Select(s => s.Key);
        Assert.Empty(a.Intersect(b));
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(Valid.Replace("\"datasets\": [\"scifact\"]", "\"datasets\": [\"scifact\"], \"average_over\": \"mean\""), "spec.json"));
        Assert.StartsWith("spec.json:9: evaluation.average_over", e.Message);
    }

    [Fact]
    public void TriplesFile_IsRejectedAtLoadTime_WithItsLine()
    {
        var json = Valid.Replace("\"training\": { \"dataset\": \"scifact\", \"split\": \"train\" },",
            "\"training\": {\n    \"triples_file\": \"triples.jsonl\"\n  },");
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(json, "spec.json"));
        Assert.Equal(4, e.Line);
        Assert.StartsWith("spec.json:4: training.triples_file: not supported", e.Message);
        Assert.Contains("hn train --triples", e.Message);
    }

    [Fact]
    public void SemanticProblemsAreAllReportedWithTheirLines()
    {
        var json = Valid.Replace("\"range_min\": 10, \"range_max\": 100", "\"range_min\": 50, \"range_max\": 20, \"sampling\": \"best\"")
                        .Replace("\"seeds\": [1, 2]", "\"seeds\": []");
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(json, "spec.json"));
        Assert.StartsWith("spec.json:6: sources[1].range_max", e.Message);
        Assert.Contains("spec.json:6: sources[1].sampling: 'best' is not a sampling", e.Message);
        Assert.Contains("spec.json:10: seeds: list at least one seed", e.Message);
    }

    [Fact]
    public void ACrossEncoderSourceWithoutAModelIsPlannedAsNotRunWithTheEnablingOption()
    {
        var json = Valid.Replace("{ \"kind\": \"random\", \"name\": \"Random\" }", "{ \"kind\": \"ce\", \"name\": \"Cross-encoder\" }");
        var plan = ExperimentPlanner.Plan(ExperimentSpecLoader.Parse(json, "spec.json"));
        var notRun = Assert.Single(plan.NotRun);
        Assert.Equal("Cross-encoder", notRun.Source);
        Assert.Equal("sources[0].model = a cross-encoder folder or Hugging Face name", notRun.Enable);
        Assert.DoesNotContain(plan.Steps, s => s.Source?.Name == "Cross-encoder");
    }

    [Fact]
    public void ChangingATrainingOptionRekeysOnlyTrainingAndWhatFollows()
    {
        var a = ExperimentPlanner.Plan(ExperimentSpecLoader.Parse(Valid, "a"));
        var b = ExperimentPlanner.Plan(ExperimentSpecLoader.Parse(Valid.Replace("\"batch_size\": 16", "\"batch_size\": 8"), "b"));
        foreach (var step in a.Steps)
        {
            bool same = b[step.Id].Key == step.Key;
            bool downstreamOfTraining = step.Stage != Stages.Negatives && step.Source is not null;
            Assert.True(same != downstreamOfTraining, step.Id);
        }
    }
}
