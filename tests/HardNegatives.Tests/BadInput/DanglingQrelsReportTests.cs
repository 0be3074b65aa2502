using HardNegatives.Data;
using HardNegatives.Experiments;
using HardNegatives.Reporting;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 7: judgments no run can satisfy (a judged query with no text, a relevant document missing from the corpus) are
/// counted with every evaluation (artifact.json) and stated under the experiment's table, with what they do to the scores.
/// </summary>
public sealed class DanglingQrelsReportTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-dangling-qrels-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Dataset()
    {
        var folder = Path.Combine(_dir, "tiny");
        Directory.CreateDirectory(Path.Combine(folder, "qrels"));
        File.WriteAllLines(Path.Combine(folder, "corpus.jsonl"), ["""{"_id": "d1", "title": "", "text": "one"}""", """{"_id": "d2", "title": "", "text": "two"}""", """{"_id": "d3", "title": "", "text": "three"}"""]);
        File.WriteAllLines(Path.Combine(folder, "queries.jsonl"), ["""{"_id": "q1", "text": "first"}""", """{"_id": "q2", "text": "second"}"""]);
        // q3 has no text; d9 is not in the corpus (relevant); d8 is not either, but judged not relevant, so it changes nothing.
        File.WriteAllLines(Path.Combine(folder, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", "q1\td1\t1", "q2\td9\t1", "q2\td8\t0", "q3\td2\t1"]);
        return folder;
    }

    [Fact]
    public async Task The_evaluation_records_the_counts_and_the_report_states_them()
    {
        var dataset = Dataset();
        var run = Path.Combine(_dir, "run.txt");
        File.WriteAllLines(run, ["q1 Q0 d1 1 2.0 t", "q2 Q0 d2 1 1.0 t"]);
        var evaluated = Path.Combine(_dir, "evaluate");
        Directory.CreateDirectory(evaluated);
        var summary = await new KitStages().EvaluateAsync(dataset, "test", run, ["ndcg_cut.10"], EvaluationSpec.AllJudged, evaluated,
            new Progress<StepProgress>(), CancellationToken.None);
        Assert.Equal("1", summary[QrelsCoverage.QueriesWithoutTextKey]);
        Assert.Equal("1", summary[QrelsCoverage.RelevantMissingKey]);

        var spec = new ExperimentSpec("dangling", new TrainingDataSpec(dataset, "test"), [new NegativeSourceSpec(NegativeSourceKind.Random, "Random")],
            new ModelSpec("tiny"), new EvaluationSpec([dataset]), [1]);
        var plan = ExperimentPlanner.Plan(spec);
        var artifacts = plan.Steps.Where(s => s.Stage == Stages.Evaluate)
            .ToDictionary(s => s.Id, s => new Artifact(s.Stage, s.Key, evaluated, Provenance.Capture(plan.SpecHash, s.Seed), summary));
        var outcome = new ExperimentOutcome(plan, artifacts, artifacts.ToDictionary(a => a.Key, _ => StepStatus.Reused));
        var report = await ExperimentReport.WriteAsync(outcome, Path.Combine(_dir, "report"));
        var table = File.ReadAllText(report.Markdown);
        Assert.Contains($"Judgments: {ReportText.Markdown(dataset)}/test: 1 judged query has no text in queries.jsonl: no run can answer them, so they score 0 in every row", table);
        Assert.Contains("1 relevant judgment names a document missing from the corpus: it can never be retrieved yet still counts as relevant", table);
    }

    [Fact]
    public void A_clean_split_says_so()
    {
        Assert.Equal("scifact/test: every judged query has text and every relevant document is in the corpus.",
            QrelsCoverage.Describe("scifact/test", 0, 0, allJudged: true));
        var coverage = QrelsCoverage.Of(DatasetLocator.Open("scifact"), "test");
        Assert.Equal(new QrelsCoverage(300, 0, 339, 0), coverage);
    }
}
