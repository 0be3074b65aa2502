using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

/// <summary>sentence-transformers' InformationRetrievalEvaluator metrics, derived by hand; they differ from trec_eval's on purpose.</summary>
public class SentenceTransformersIrEvaluatorTests
{
    const double Eps = 1e-12;

    // qA: relevant (grade >= 1) a, c, d; ranking after trec order: c, e, b, a, d -> hits 1 0 0 1 1.
    // qR: relevant r1, r2, r3; ranking r1, r2, n -> hits 1 1 0 (R = 3 > k = 2 shows MAP@k's min(k, R)).
    // q2: no relevant document -> not averaged. q3: relevant z, missing from the run -> all zeros.
    static readonly Qrel[] Qrels =
    [
        new("qA", "a", 1), new("qA", "b", 0), new("qA", "c", 2), new("qA", "d", 1),
        new("qR", "r1", 1), new("qR", "r2", 1), new("qR", "r3", 1), new("q2", "x", 0), new("q3", "z", 1),
    ];
    static readonly RunEntry[] Run =
    [
        new("qA", "a", 1, 0.5, "t"), new("qA", "b", 2, 0.5, "t"), new("qA", "c", 3, 0.9, "t"), new("qA", "e", 4, 0.5, "t"), new("qA", "d", 5, 0.1, "t"),
        new("qR", "r1", 1, 3, "t"), new("qR", "r2", 2, 2, "t"), new("qR", "n", 3, 1, "t"), new("q2", "x", 1, 1, "t"),
    ];

    [Fact]
    public void PerQueryValuesByHand()
    {
        var result = SentenceTransformersIrEvaluator.Evaluate(Judgments.From(Qrels), Run, [1, 2, 3, 5]);
        Assert.Equal(["q3", "qA", "qR"], result.Queries.Select(q => q.QueryId));
        var a = result.Queries.Single(q => q.QueryId == "qA").Values;
        double idcg3 = 1 + 1 / Math.Log2(3) + 0.5;
        Assert.Equal(1, a["accuracy@1"], Eps);
        Assert.Equal(1.0 / 3, a["precision@3"], Eps);
        Assert.Equal(1.0 / 3, a["recall@3"], Eps);
        Assert.Equal(1 / idcg3, a["ndcg@3"], Eps);                                  // binary gains: not 2 / (2 + ...)
        Assert.Equal((1 + 1 / Math.Log2(5) + 1 / Math.Log2(6)) / idcg3, a["ndcg@5"], Eps);
        Assert.Equal(1.0 / 3, a["map@3"], Eps);
        Assert.Equal((1 + 2.0 / 4 + 3.0 / 5) / 3, a["map@5"], Eps);
        Assert.Equal(0.6, a["precision@5"], Eps);
        Assert.Equal(1, a["mrr@5"], Eps);
        var r = result.Queries.Single(q => q.QueryId == "qR").Values;
        Assert.Equal(1.0, r["map@2"], Eps);                                         // (1/1 + 2/2) / min(2, 3)
        Assert.Equal(2.0 / 3, r["recall@2"], Eps);
        var missing = result.Queries.Single(q => q.QueryId == "q3").Values;
        Assert.All(missing.Values, v => Assert.Equal(0, v));
        Assert.Equal((1.0 + 1.0) / 3, result.Mean["mrr@1"], Eps);                  // qA 1, qR 1, q3 0
    }

    [Fact]
    public void DiffersFromTrecEvalWhereItShould()
    {
        var trec = TrecEvaluator.Evaluate(Judgments.From(Qrels), Run, MeasureRegistry.Resolve(["map_cut.2", "ndcg_cut.3"]));
        var qR = trec.Queries.Single(q => q.QueryId == "qR").Values;
        Assert.Equal(2.0 / 3, qR["map_cut_2"], Eps);                                // trec_eval divides by R = 3
        var qA = trec.Queries.Single(q => q.QueryId == "qA").Values;
        Assert.Equal(2 / (2 + 1 / Math.Log2(3) + 0.5), qA["ndcg_cut_3"], Eps);     // graded gains
    }
}
