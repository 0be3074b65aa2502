using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

/// <summary>
/// The unit cases of pytrec_eval's own test suite (cvangysel/pytrec_eval, tests/pytrec_eval_tests.py, MIT licence,
/// see TestData/evaluation/LICENSE-pytrec_eval), whose expected values come from trec_eval 9.0.x itself.
/// </summary>
public class PytrecEvalFixtureTests
{
    // qrel = {'q1': {'d1': 0, 'd2': 1, 'd3': 0}, 'q2': {'d2': 1, 'd3': 1}}
    static readonly Judgments Qrels = Judgments.From(
        [new Qrel("q1", "d1", 0), new Qrel("q1", "d2", 1), new Qrel("q1", "d3", 0), new Qrel("q2", "d2", 1), new Qrel("q2", "d3", 1)]);

    static double Q1(string measure, double d1, double d2, double d3)
    {
        RunEntry[] run = [new("q1", "d1", 0, d1, "t"), new("q1", "d2", 0, d2, "t"), new("q1", "d3", 0, d3, "t")];
        var result = TrecEvaluator.Evaluate(Qrels, run, MeasureRegistry.Resolve([measure]));
        return result.Queries.Single(q => q.QueryId == "q1").Values[measure.Replace('.', '_')];
    }

    [Theory]
    [InlineData(1.0, 0.0, 1.5, 0.5)]                  // d2 at rank 3
    [InlineData(1.0, 2.0, 1.5, 1.0)]                  // d2 at rank 1
    [InlineData(4.0, 2.0, 1.5, 0.6309297535714575)]   // d2 at rank 2
    public void Ndcg(double d1, double d2, double d3, double expected) =>
        Assert.Equal(expected, Q1("ndcg", d1, d2, d3), 1e-12);

    [Fact]
    public void NdcgCut()
    {
        Assert.Equal(0.5, Q1("ndcg_cut.3", 1.0, 0.0, 1.5), 1e-12);
        Assert.Equal(1.0, Q1("ndcg_cut.1", 1.0, 2.0, 1.5), 1e-12);
        RunEntry[] run = [new("q1", "d1", 0, 1.0, "t"), new("q1", "d2", 0, 0.0, "t"), new("q1", "d3", 0, 1.5, "t")];
        var r = TrecEvaluator.Evaluate(Qrels, run, MeasureRegistry.Resolve(["ndcg_cut.1,2,3,1000"])).Queries.Single().Values;
        Assert.Equal(0.5, r["ndcg_cut_3"], 1e-12);
        Assert.Equal(0.0, r["ndcg_cut_2"], 1e-12);
        Assert.Equal(0.0, r["ndcg_cut_1"], 1e-12);
        Assert.Equal(0.5, r["ndcg_cut_1000"], 1e-12);
    }
}
