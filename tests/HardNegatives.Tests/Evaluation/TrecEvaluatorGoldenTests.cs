using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

/// <summary>
/// Hand-built cases whose expected values are derived by hand in the comments (trec_eval 9.0.x rules:
/// score desc, ties by docid desc; gain = grade; discount log2(rank+1); R = judged grade >= 1).
/// </summary>
public class TrecEvaluatorGoldenTests
{
    const double Eps = 1e-12;

    // Query qA. Judged: a=1, b=0, c=2, d=1 (R = 3: a, c, d). e is not judged.
    // Run scores: c 0.9; a, b, e tie at 0.5; d 0.1. Rank column deliberately wrong (trec_eval ignores it).
    // trec_eval order: c, then the 0.5 ties by docid DESCENDING: e, b, a, then d.
    //   rank: 1 c(2)  2 e(unjudged)  3 b(0)  4 a(1)  5 d(1)
    static readonly Qrel[] QrelsA = [new("qA", "a", 1), new("qA", "b", 0), new("qA", "c", 2), new("qA", "d", 1)];
    static readonly RunEntry[] RunA =
    [
        new("qA", "a", 1, 0.5, "t"), new("qA", "b", 2, 0.5, "t"), new("qA", "c", 3, 0.9, "t"),
        new("qA", "e", 4, 0.5, "t"), new("qA", "d", 5, 0.1, "t"),
    ];

    static EvaluationResult Eval(IEnumerable<Qrel> qrels, IEnumerable<RunEntry> run, string measures, EvaluationOptions? options = null) =>
        TrecEvaluator.Evaluate(Judgments.From(qrels), run, MeasureRegistry.Resolve(measures.Split(' ')), options);

    [Fact]
    public void TiesAreBrokenByDocumentIdDescendingAndTheRankColumnIsIgnored()
    {
        var sorted = TrecRanking.Sort("qA", RunA).Select(e => e.DocumentId);
        Assert.Equal(["c", "e", "b", "a", "d"], sorted);
    }

    [Fact]
    public void PrecisionRecallApAndReciprocalRankOnTheTiedRanking()
    {
        var r = Eval(QrelsA, RunA, "P.1,2,5,10 recall.1,5 map map_cut.4 recip_rank num_ret num_rel num_rel_ret");
        Assert.Equal(1.0, r["P_1"], Eps);          // c relevant
        Assert.Equal(0.5, r["P_2"], Eps);          // c, e(unjudged) -> 1/2 (ascending tie order would give 2/2)
        Assert.Equal(0.6, r["P_5"], Eps);          // c, a, d relevant -> 3/5
        Assert.Equal(0.3, r["P_10"], Eps);         // divides by 10 although only 5 retrieved
        Assert.Equal(1.0 / 3, r["recall_1"], Eps); // 1 of R = 3
        Assert.Equal(1.0, r["recall_5"], Eps);
        Assert.Equal((1.0 / 1 + 2.0 / 4 + 3.0 / 5) / 3, r["map"], Eps);   // relevant at ranks 1, 4, 5 -> 2.1 / 3 = 0.7
        Assert.Equal((1.0 / 1 + 2.0 / 4) / 3, r["map_cut_4"], Eps);       // ranks 1 and 4 within the cut, still / R
        Assert.Equal(1.0, r["recip_rank"], Eps);
        Assert.Equal(5, r["num_ret"]);
        Assert.Equal(3, r["num_rel"]);
        Assert.Equal(3, r["num_rel_ret"]);
    }

    [Fact]
    public void NdcgUsesLinearGradesLog2RankPlusOneAndTheIdealFromAllJudgedGrades()
    {
        var r = Eval(QrelsA, RunA, "ndcg_cut.1,2,3,5 ndcg");
        // Ideal grades, sorted: 2, 1, 1.  IDCG@1 = 2; @2 = 2 + 1/log2(3); @3 = 2 + 1/log2(3) + 1/log2(4); @5 = @3.
        double idcg2 = 2 + 1 / Math.Log2(3), idcg3 = idcg2 + 0.5;
        // DCG: rank1 c gain 2 /log2(2); rank2 e 0; rank3 b 0; rank4 a 1/log2(5); rank5 d 1/log2(6).
        Assert.Equal(1.0, r["ndcg_cut_1"], Eps);                                    // 2 / 2
        Assert.Equal(2 / idcg2, r["ndcg_cut_2"], Eps);
        Assert.Equal(2 / idcg3, r["ndcg_cut_3"], Eps);
        double dcg5 = 2 + 1 / Math.Log2(5) + 1 / Math.Log2(6);
        Assert.Equal(dcg5 / idcg3, r["ndcg_cut_5"], Eps);
        Assert.Equal(dcg5 / idcg3, r["ndcg"], Eps);
    }

    [Fact]
    public void UnretrievedRelevantDocumentsCountInTheIdealAndInR()
    {
        // qG: g1=3 (never retrieved), g2=2, g3=0. Run: g2 0.9, g9 0.8 (g9 unjudged).
        Qrel[] qrels = [new("qG", "g1", 3), new("qG", "g2", 2), new("qG", "g3", 0)];
        RunEntry[] run = [new("qG", "g2", 1, 0.9, "t"), new("qG", "g9", 2, 0.8, "t")];
        var r = Eval(qrels, run, "ndcg_cut.2 map recall.2 P.2 recip_rank");
        Assert.Equal(2 / (3 + 2 / Math.Log2(3)), r["ndcg_cut_2"], Eps); // DCG = 2; IDCG@2 = 3 + 2/log2(3)
        Assert.Equal(0.5, r["map"], Eps);                                // (1/1) / R=2
        Assert.Equal(0.5, r["recall_2"], Eps);
        Assert.Equal(0.5, r["P_2"], Eps);
        Assert.Equal(1.0, r["recip_rank"], Eps);
    }

    // Three judged queries and one unjudged run query:
    //   qA as above (map 0.7, num_ret 5, R 3)
    //   q2: only grade-0 rows (x=0, y=0): R = 0, every value 0, but it is evaluated and counts in the mean
    //   q3: z=1, missing from the run
    //   q9: in the run, not in the qrels: ignored
    static IEnumerable<Qrel> QrelsMixed => [.. QrelsA, new("q2", "x", 0), new("q2", "y", 0), new("q3", "z", 1)];
    static IEnumerable<RunEntry> RunMixed => [.. RunA, new("q2", "x", 1, 1.0, "t"), new("q9", "z", 1, 1.0, "t")];

    [Fact]
    public void DefaultAveragingIsOverQueriesInBothRunAndQrels()
    {
        var r = Eval(QrelsMixed, RunMixed, "num_q num_ret num_rel map ndcg_cut.5 P.5");
        Assert.Equal(2, r["num_q"]);              // qA, q2 (q3 missing, q9 unjudged)
        Assert.Equal(6, r["num_ret"]);            // 5 + 1
        Assert.Equal(3, r["num_rel"]);            // 3 + 0
        Assert.Equal(0.7 / 2, r["map"], Eps);     // (0.7 + 0) / 2
        Assert.Equal(0.6 / 2, r["P_5"], Eps);
        Assert.Equal(["q2", "qA"], r.Queries.Select(q => q.QueryId)); // ordinal order: '2' < 'A'
        Assert.Equal(0, r.Queries[0].Values["ndcg_cut_5"]);           // no positive grade -> 0, not NaN
    }

    [Fact]
    public void CompleteAveragingDividesByAllQrelsQueriesAndMissingQueriesScoreZero()
    {
        var r = Eval(QrelsMixed, RunMixed, "num_q num_ret num_rel num_rel_ret map recip_rank",
            new EvaluationOptions { AverageOverAllJudgedQueries = true });
        Assert.Equal(3, r["num_q"]);              // qA, q2, q3
        Assert.Equal(3, r.AveragedOver);
        Assert.Equal(6, r["num_ret"]);
        Assert.Equal(4, r["num_rel"]);            // q3's R = 1 counts although it retrieved nothing
        Assert.Equal(3, r["num_rel_ret"]);
        Assert.Equal(0.7 / 3, r["map"], Eps);
        Assert.Equal(1.0 / 3, r["recip_rank"], Eps);
        var q3 = Assert.Single(r.Queries, q => q.QueryId == "q3");
        Assert.True(q3.MissingFromRun);
        Assert.Equal(0, q3.Values["map"]);
    }

    [Fact]
    public void RelevanceLevelTwoCountsOnlyGradeTwoAndAbove()
    {
        // Level 2: only c (grade 2) is relevant, at rank 1 -> map 1, R 1. nDCG still uses all positive grades as gains.
        var r = Eval(QrelsA, RunA, "map num_rel P.5", new EvaluationOptions { RelevanceLevel = 2 });
        Assert.Equal(1.0, r["map"], Eps);
        Assert.Equal(1, r["num_rel"]);
        Assert.Equal(0.2, r["P_5"], Eps);
    }

    [Fact]
    public void MaxDocumentsPerQueryTruncatesAfterSorting()
    {
        // -M 2 keeps c, e: map = 1/3, recall_5 = 1/3, num_ret = 2.
        var r = Eval(QrelsA, RunA, "map recall.5 num_ret", new EvaluationOptions { MaxDocumentsPerQuery = 2 });
        Assert.Equal(1.0 / 3, r["map"], Eps);
        Assert.Equal(1.0 / 3, r["recall_5"], Eps);
        Assert.Equal(2, r["num_ret"]);
    }

    [Fact]
    public void ReciprocalRankCutIsMrrAtK()
    {
        // qG-like: first relevant at rank 3.
        Qrel[] qrels = [new("q", "r", 1)];
        RunEntry[] run = [new("q", "n1", 1, 3, "t"), new("q", "n2", 2, 2, "t"), new("q", "r", 3, 1, "t")];
        var r = Eval(qrels, run, "recip_rank recip_rank_cut.2,3,10");
        Assert.Equal(1.0 / 3, r["recip_rank"], Eps);
        Assert.Equal(0.0, r["recip_rank_cut_2"], Eps);
        Assert.Equal(1.0 / 3, r["recip_rank_cut_3"], Eps);
        Assert.Equal(1.0 / 3, r["recip_rank_cut_10"], Eps);
    }

    [Fact]
    public void DuplicateDocumentInARunIsAnErrorNamingQueryAndDocument()
    {
        RunEntry[] run = [.. RunA, new("qA", "b", 9, 0.2, "t")];
        var e = Assert.Throws<InvalidDataException>(() => Eval(QrelsA, run, "map"));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("'qA'", e.Message);
    }

    [Fact]
    public void DuplicateJudgmentIsAnError()
    {
        var e = Assert.Throws<InvalidDataException>(() => Judgments.From([new("q", "d", 1), new("q", "d", 2)]));
        Assert.Contains("'d'", e.Message);
    }

    [Fact]
    public void NoOverlapBetweenRunAndQrelsIsAClearError()
    {
        var e = Assert.Throws<InvalidDataException>(() => Eval(QrelsA, [new RunEntry("other", "a", 1, 1, "t")], "map"));
        Assert.Contains("No queries with both results and relevance info", e.Message);
    }

    [Fact]
    public void BeirConventionsDropIdenticalIdsAndRoundToFiveDecimals()
    {
        // The query's own id "qA" is judged relevant and retrieved first; BEIR drops it before evaluating.
        Qrel[] qrels = [.. QrelsA, new("qA", "qA", 1)];
        RunEntry[] run = [.. RunA, new("qA", "qA", 0, 5.0, "t")];
        var plain = Eval(qrels, run, "recip_rank map");
        var beir = Eval(qrels, run, "recip_rank map", EvaluationOptions.Beir);
        Assert.Equal(1.0, plain["recip_rank"], Eps);
        Assert.Equal((1 + 2.0 / 2 + 3.0 / 5 + 4.0 / 6) / 4, plain["map"], Eps); // qA at 1, c 2, a 5, d 6
        Assert.Equal(Math.Round((1 + 2.0 / 4 + 3.0 / 5) / 4, 5), beir["map"], Eps); // dropped but still judged: R = 4
        Assert.Equal(0.525, beir["map"], Eps);
        Assert.Equal(0.0, beir["recip_rank"] - 1.0, Eps); // c is first after the drop
    }

    [Fact]
    public void ResultsComeAsDataFrames()
    {
        var r = Eval(QrelsMixed, RunMixed, "map P.5", new EvaluationOptions { AverageOverAllJudgedQueries = true });
        var perQuery = r.ToPerQueryDataFrame();
        Assert.Equal(3, perQuery.Rows.Count);
        Assert.Equal(["query_id", "missing_from_run", "map", "P_5"], perQuery.Columns.Select(c => c.Name));
        var summary = r.ToSummaryDataFrame();
        Assert.Equal(2, summary.Rows.Count);
        Assert.Equal(0.7 / 3, (double)summary["value"][0]!, Eps);
    }
}
