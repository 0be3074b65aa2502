using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

public class MeasureRegistryAndFormatTests
{
    static IEnumerable<string> Names(params string[] specs) => MeasureRegistry.Resolve(specs).SelectMany(m => m.ValueNames);

    [Fact]
    public void TrecEvalFormsParse()
    {
        Assert.Equal(["ndcg_cut_10", "ndcg_cut_100"], Names("ndcg_cut.10,100"));
        Assert.Equal(["recall_100", "recall_1000"], Names("recall.100,1000"));
        Assert.Equal(["P_10"], Names("P.10"));
        Assert.Equal(["map"], Names("map"));
        Assert.Equal(["recip_rank"], Names("recip_rank"));
        Assert.Equal(["P_5", "P_10", "P_15", "P_20", "P_30", "P_100", "P_200", "P_500", "P_1000"], Names("P"));
    }

    [Fact]
    public void AliasesMapToTrecEvalMeasures()
    {
        Assert.Equal(["ndcg_cut_10"], Names("nDCG@10"));
        Assert.Equal(["recip_rank_cut_10"], Names("MRR@10"));
        Assert.Equal(["map_cut_100"], Names("MAP@100"));
        Assert.Equal(["recall_100"], Names("R@100"));
        Assert.Equal(["recall_100"], Names("Recall@100"));
        Assert.Equal(["P_10"], Names("P@10"));
        Assert.Equal(["ndcg_cut_10"], Names("ndcg_cut_10"));
        Assert.Equal(["map"], Names("AP"));
        Assert.Equal(["recip_rank"], Names("RR"));
        Assert.Equal(["ndcg"], Names("nDCG"));
        Assert.Equal(["map"], Names("MAP"));
    }

    [Fact]
    public void OutputFollowsTrecEvalsMeasureTableAndMergesRepeatedCutoffs()
    {
        Assert.Equal(["num_q", "map", "P_5", "P_10", "ndcg_cut_10"], Names("ndcg_cut.10", "P.10", "map", "P.5", "num_q"));
    }

    [Theory]
    [InlineData("map.5")]
    [InlineData("ndcg_cut.0")]
    [InlineData("ndcg_cut.x")]
    [InlineData("infAP")]
    [InlineData("nDCG@")]
    public void BadSpecificationsAreRejected(string spec) =>
        Assert.Throws<ArgumentException>(() => MeasureRegistry.Resolve([spec]));

    [Theory]
    [InlineData(0.5, "0.5000")]
    [InlineData(1.0 / 3, "0.3333")]
    [InlineData(2.0 / 3, "0.6667")]
    [InlineData(0.03125, "0.0312")]   // exact binary tie: glibc printf rounds half to even
    [InlineData(0.09375, "0.0938")]   // 3/32, tie, rounds to even 8
    [InlineData(0.00005, "0.0001")]   // 0.00005 is slightly above the tie in binary
    [InlineData(1.0, "1.0000")]
    [InlineData(0.0, "0.0000")]
    [InlineData(-358.0, "-358.0000")]
    public void FixedMatchesCPrintf(double value, string expected) =>
        Assert.Equal(expected, TrecEvalFormat.FixedC(value, 4));

    [Fact]
    public void TextLayoutIsTrecEvals()
    {
        var judgments = Judgments.From([new("q1", "a", 1), new("q2", "b", 1)]);
        var run = new[] { new RunEntry("q1", "a", 1, 2.0, "t"), new RunEntry("q1", "x", 2, 1.0, "t"), new RunEntry("q2", "x", 1, 1.0, "t") };
        var result = TrecEvaluator.Evaluate(judgments, run, MeasureRegistry.Resolve(["num_q", "map", "P.2"]));
        var text = TrecEvalFormat.Format(result, perQuery: true);
        Assert.Equal(
            "map                   \tq1\t1.0000\n" +
            "P_2                   \tq1\t0.5000\n" +
            "map                   \tq2\t0.0000\n" +
            "P_2                   \tq2\t0.0000\n" +
            "num_q                 \tall\t2\n" +
            "map                   \tall\t0.5000\n" +
            "P_2                   \tall\t0.2500\n", text);
    }
}
