using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Evaluation.Significance;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

public class SystemComparisonTests
{
    [Fact]
    public void HolmCorrectsAcrossTheFamily()
    {
        // 6 queries, one relevant document each. Baseline ranks it 2nd (RR 0.5), "better" 1st (RR 1), "same" 2nd.
        var queries = Enumerable.Range(0, 6).Select(i => $"q{i}").ToArray();
        var judgments = Judgments.From(queries.Select(q => new Qrel(q, "rel", 1)));
        IEnumerable<RunEntry> Run(bool relevantFirst) => queries.SelectMany(q => new[]
        {
            new RunEntry(q, "rel", 0, relevantFirst ? 2 : 1, "t"), new RunEntry(q, "other", 0, 1.5, "t"),
        });
        var measures = MeasureRegistry.Resolve(["recip_rank"]);
        var rows = SystemComparison.Compare(
            [("base", TrecEvaluator.Evaluate(judgments, Run(false), measures)),
             ("better", TrecEvaluator.Evaluate(judgments, Run(true), measures)),
             ("same", TrecEvaluator.Evaluate(judgments, Run(false), measures))],
            ["recip_rank"]);
        var better = rows.Single(r => r.System == "better");
        Assert.Equal(0.5, better.Delta, 1e-12);
        Assert.Equal(0.0, better.TTestP);                    // all differences 0.5: sd 0
        Assert.Equal(2.0 / 64, better.RandomizationP, 1e-15); // exact: only all-plus and all-minus reach |sum| = 3
        Assert.Equal(2.0 / 64 * 2, better.RandomizationHolm, 1e-15); // smallest of 2 tests: × 2 = 0.0625
        Assert.True(better.SignificantT);
        Assert.False(better.SignificantRandomization);
        var same = rows.Single(r => r.System == "same");
        Assert.Equal(1.0, same.TTestHolm);
        Assert.False(same.SignificantT);
        Assert.Equal(1.0, better.Ci.Lower, 1e-12);
    }
}
