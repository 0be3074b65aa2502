using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Evaluation.Significance;
using HardNegatives.Experiments;
using HardNegatives.Interactive;
using HardNegatives.Interactive.Facade;
using HardNegatives.Retrieval;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Tests.Interactive;

/// <summary>
/// <see cref="Hn.Compare(IReadOnlyList{IEnumerable{RunEntry}}, string, IReadOnlyList{string}?, string?, string, IReadOnlyList{string}?, string, string, ComparisonOptions?)"/>
/// on bundled SciFact: BM25, BM25 with Lucene's default parameters, and BM25 cut to its top 3. Every number is checked
/// against the library's own per-query evaluation and its compare API, and the table against what truncation must do.
/// </summary>
public class CompareFacadeTests
{
    const string Base = "bm25", Lucene = "bm25 k1=1.2 b=0.75", Top3 = "bm25 top-3";
    static readonly string[] Measures = ["ndcg_cut.10", "recall.100"];
    static readonly Lazy<Task<IReadOnlyList<RunEntry>[]>> runs = new(MakeRunsAsync);

    static async Task<IReadOnlyList<RunEntry>[]> MakeRunsAsync()
    {
        var bm25 = await Hn.SearchBm25("scifact", topK: 100);
        var ds = DatasetLocator.Open("scifact");
        using var index = await Bm25Index.OpenOrBuildAsync(ds);
        using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(K1: 1.2, B: 0.75, TopK: 100));
        var lucene = searcher.SearchAll(ds.QueriesOf("test")).SelectMany(r => r.ToRunEntries("lucene")).ToList();
        var top3 = bm25.Where(e => e.Rank <= 3).ToList();
        return [bm25, lucene, top3];
    }

    /// <summary>The library's own evaluation of one run (every SciFact test query is in every run, so all qrels count).</summary>
    static EvaluationResult Reference(IReadOnlyList<RunEntry> run) =>
        TrecEvaluator.Evaluate(Judgments.Load(DatasetLocator.Open("scifact").QrelsPath("test")), run, MeasureRegistry.Resolve(Measures),
            EvaluationOptions.Beir with { AverageOverAllJudgedQueries = true });

    [Fact]
    public async Task Compare_MatchesTheLibrarysPerQueryEvaluationAndCompareApi_AndTruncationLosesSignificantly()
    {
        var r = await runs.Value;
        var table = Hn.Compare(r, "scifact", names: [Base, Lucene, Top3], measures: Measures);
        Assert.Equal([Base, Lucene, Top3], table.Systems);
        Assert.Equal(["ndcg_cut_10", "recall_100"], table.Measures);
        Assert.Equal(300, table.PairedQueries.Count);

        var reference = r.Select(Reference).ToList();
        var expected = SystemComparison.Compare([(Base, reference[0]), (Lucene, reference[1]), (Top3, reference[2])], table.Measures);
        var holm = HolmBonferroni.Adjust([.. expected.Where(x => x.System != Base).Select(x => x.TTestP)]);
        int k = 0;
        foreach (var row in expected)
        {
            int s = Array.IndexOf(new[] { Base, Lucene, Top3 }, row.System);
            // The mean is the average of the library's per-query values, and the test the compare API's.
            Assert.Equal(reference[s].PerQuery(row.Measure).Values.Average(), table.Mean(row.System, row.Measure), 12);
            Assert.Equal(row.Mean, table.Mean(row.System, row.Measure), 12);
            Assert.Equal(row.TTestP, table.PValue(row.System, row.Measure));
            if (row.System == Base) continue;
            Assert.Equal(holm[k++], table.CorrectedPValue(row.System, row.Measure), 12);
            Assert.Equal(row.SignificantT, table.Significant(row.System, row.Measure));
        }
        // Hn.Eval of the same run agrees (its summary is rounded as trec_eval prints it).
        var single = Hn.Eval(r[0], "scifact", "test", "ndcg_cut.10");
        Assert.Equal(single.PerQuery("ndcg_cut_10").Values.Average(), table.Mean(Base, "ndcg_cut_10"), 12);
        Assert.Equal(single.Summary[0].Value, table.Mean(Base, "ndcg_cut_10"), 4);

        // Cutting a run to 3 documents can only lose recall@100, on many queries: significant after Holm.
        var (better, worse) = table.WinLoss(Top3, "recall_100");
        Assert.Equal(0, better);
        Assert.True(worse > 50, $"top-3 loses recall on {worse} queries");
        Assert.True(table.Significant(Top3, "recall_100"));
        Assert.True(table.Row(Top3, "recall_100").Delta < 0);
        Assert.False(table.Significant(Base, "recall_100"));
        Assert.Contains("† = p ≤ 0.05", table.Caption);
        Assert.Contains("Holm–Bonferroni over 4 comparisons", table.Caption);
    }

    [Fact]
    public async Task Compare_ANamedBaseline_RandomizationTest_AndNoCorrection_ComeFromTheSameRows()
    {
        var r = await runs.Value;
        var table = Hn.Compare(r, "scifact", names: [Base, Lucene, Top3], baseline: Top3, measures: ["ndcg_cut.10"], test: "randomization", correction: "none");
        Assert.Equal([Base, Lucene, Top3], table.Systems);   // the order given, whatever the baseline
        var reference = r.Select(Reference).ToList();
        var expected = SystemComparison.Compare([(Top3, reference[2]), (Base, reference[0]), (Lucene, reference[1])], ["ndcg_cut_10"]);
        foreach (var row in expected.Where(x => x.System != Top3))
        {
            Assert.Equal(row.RandomizationP, table.PValue(row.System, "ndcg_cut_10"));
            Assert.Equal(row.RandomizationP, table.CorrectedPValue(row.System, "ndcg_cut_10"));
            Assert.Equal(row.Delta, table.Row(row.System, "ndcg_cut_10").Delta, 12);
        }
        Assert.True(table.Row(Base, "ndcg_cut_10").Delta > 0);   // the full run is better than its top 3 on nDCG@10
        var frame = table.ToDataFrame();
        Assert.Equal(3, frame.Rows.Count);
        Assert.Equal(table.PValue(Base, "ndcg_cut_10"), (double)frame["ndcg_cut_10 p-value"][0]!);
        Assert.Contains("no correction", table.Caption);
    }

    [Fact]
    public async Task Compare_AnExperimentsRuns_NamesEachRow_AndUsesTheSpecsSplitAndMetrics()
    {
        var r = await runs.Value;
        var spec = ExperimentSpecLoader.Load(Path.Combine(KitFormattersTests.RepoRoot(), "experiments", "table1-mini"));
        var plan = ExperimentPlanner.Plan(spec);
        var dir = Path.Combine(Path.GetTempPath(), "hn-compare-experiment-" + Guid.NewGuid().ToString("N")[..8]);
        // Stored runs stand in for trained ones: plain BM25 for the baseline row, its top 3 for Random, Lucene's BM25 for BM25.
        var artifacts = new Dictionary<string, Artifact>();
        foreach (var step in plan.Steps.Where(s => s.Stage == Stages.Retrieve))
        {
            var folder = Directory.CreateDirectory(Path.Combine(dir, step.Id.Replace('/', '_'))).FullName;
            await TrecRunFile.WriteAsync(Path.Combine(folder, ArtifactFiles.Run), step.Source?.Name switch { null => r[0], "Random" => r[2], _ => r[1] });
            artifacts[step.Id] = new Artifact(Stages.Retrieve, step.Key, folder, Provenance.Capture(plan.SpecHash, step.Seed), new Dictionary<string, string>());
        }
        var result = new ExperimentResult(spec.Name, plan, new ExperimentOutcome(plan, artifacts, new Dictionary<string, StepStatus>()), Table: null!, dir);
        var experimentRuns = result.Runs();
        Assert.Equal(["Random", "BM25", ExperimentPlan.Bm25BaselineRow], experimentRuns.Names);   // CE and LLM rows did not run

        var table = Hn.Compare(experimentRuns, baseline: "BM25");
        Assert.Equal(["ndcg_cut_10", "recall_100"], table.Measures);   // the spec's metrics
        Assert.Equal(Reference(r[0]).PerQuery("recall_100").Values.Average(), table.Mean(ExperimentPlan.Bm25BaselineRow, "recall_100"), 12);
        Assert.True(table.Significant("Random", "recall_100"));
        Assert.Contains("against BM25", table.Caption);
        Assert.Contains("is not evaluated by table1-mini", Assert.Throws<ArgumentException>(() => result.Runs("nfcorpus")).Message);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Compare_NamesTheOffendingValue()
    {
        var r = await runs.Value;
        Assert.Contains("is none of the systems: a, b", Assert.Throws<ArgumentException>(() => Hn.Compare([r[0], r[1]], "scifact", names: ["a", "b"], baseline: "c")).Message);
        Assert.Contains("2 names for 3 runs", Assert.Throws<ArgumentException>(() => Hn.Compare(r, "scifact", names: ["a", "b"])).Message);
        Assert.Contains("use t (paired t-test) or randomization", Assert.Throws<ArgumentException>(() => Hn.Compare([r[0], r[1]], "scifact", test: "wilcoxon")).Message);
        Assert.Contains("at least one other run", Assert.Throws<ArgumentException>(() => Hn.Compare([r[0]], "scifact")).Message);
    }

    [Fact]
    public async Task Formatters_EncodeHostileNames_InHtml_AndShowThemAsIsInPlainText()
    {
        var r = await runs.Value;
        const string hostile = "<script>alert('x')</script>", amp = "a&b \"<i>\"";
        var table = Hn.Compare([r[0], r[2]], "scifact", names: [hostile, amp], measures: ["ndcg_cut.10"]);
        var html = KitFormatters.ToHtml(table);
        Assert.Equal(table.ToHtml(), html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<i>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.Contains("a&amp;b &quot;&lt;i&gt;&quot;", html);
        Assert.Contains("<b>", html);   // the best mean in the column
        var text = KitFormatters.ToPlainText(table);
        Assert.Contains(hostile + " (baseline)", text);
        Assert.Contains(amp, text);
        Assert.Contains(table.Mean(amp, "ndcg_cut_10").ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) + "†", text);
    }
}
