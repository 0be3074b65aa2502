using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

/// <summary>
/// trec_eval 9.0.8's own quicktest cases 1 and 2 (TestData/trec_eval-9.0.8, see PROVENANCE.md): <c>hn eval QRELS RUN</c>
/// with no options prints trec_eval's default output byte for byte, with and without comment lines in the inputs.
/// </summary>
public class TrecEvalQuicktestTests
{
    static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "trec_eval-9.0.8", name);

    static (int Code, string Out, string Err) Hn(params string[] args)
    {
        var r = HardNegatives.Tests.Data.HnCli.Run(args);
        return (r.ExitCode, r.StdOut, r.StdErr);
    }

    [Theory]
    [InlineData("qrels.test", "results.test")]
    [InlineData("qrels.comment.test", "results.comment.test")]
    public void Library_DefaultMeasures_MatchOutTestByteForByte(string qrels, string run)
    {
        var result = TrecEvaluator.Evaluate(Data(qrels), Data(run), ["official"]);
        Assert.Equal(File.ReadAllText(Data("out.test")), TrecEvalFormat.Format(result, perQuery: false));
    }

    [Theory]
    [InlineData("qrels.test", "results.test")]
    [InlineData("qrels.comment.test", "results.comment.test")]
    public void HnEval_WithNoOptions_IsByteIdenticalToTrecEval(string qrels, string run)
    {
        var (code, output, error) = Hn("eval", Data(qrels), Data(run));
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(Data("out.test")), System.Text.Encoding.UTF8.GetBytes(output));
    }

    [Fact]
    public void MaxDocuments_CutsBeforeTheDuplicateCheck_AsTrecEval()
    {
        var judgments = Judgments.From([new Qrel("q", "a", 1), new Qrel("q", "b", 1)]);
        // "b" is listed twice, but its second copy ranks below the -M 2 cut: trec_eval evaluates, it does not reject.
        RunEntry[] run = [new("q", "a", 1, 3, "t"), new("q", "c", 2, 2, "t"), new("q", "b", 3, 1, "t"), new("q", "b", 4, 0.5, "t")];
        var cut = TrecEvaluator.Evaluate(judgments, run, MeasureRegistry.Resolve(["P.2"]), new EvaluationOptions { MaxDocumentsPerQuery = 2 });
        Assert.Equal(0.5, cut["P_2"], 12);
        Assert.Throws<InvalidDataException>(() => TrecEvaluator.Evaluate(judgments, run, MeasureRegistry.Resolve(["P.2"])));
    }

    [Fact]
    public void RunScores_AreReadAsCsAtofReadsThem_CommentsSkipped_RunIdIsTheLastLinesTag()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("hn-atof-").FullName, "run");
        File.WriteAllText(path, "# a comment\n  # indented comment\nq Q0 a x 1e-3 first\nq Q0 b 2 .5 mid\nq Q0 c 3 +2 mid\nq Q0 d 4 2.5abc mid\nq Q0 e 5 -INF last\n");
        var entries = TrecRunFile.Read(path).ToList();
        Assert.Equal([0.001, 0.5, 2, 2.5, double.NegativeInfinity], entries.Select(e => e.Score));
        Assert.Equal(0, entries[0].Rank); // trec_eval skips the rank column; a non-integer rank is not an error
        var result = TrecEvaluator.Evaluate(Judgments.From([new Qrel("q", "a", 1)]), entries, MeasureRegistry.Resolve(["runid", "num_ret"]));
        Assert.Equal("runid                 \tall\tlast\nnum_ret               \tall\t5\n", TrecEvalFormat.Format(result, perQuery: false));

        File.WriteAllText(path, "q Q0 a 1 abc t\n");
        var e = Assert.Throws<DataFormatException>(() => TrecRunFile.Read(path).ToList());
        Assert.Contains(":1", e.Message);
    }

    [Fact]
    public void GeometricMap_FloorsEachQuery_AndCountsMissingQueriesUnderC()
    {
        var judgments = Judgments.From([new Qrel("q1", "a", 1), new Qrel("q2", "b", 1), new Qrel("q3", "c", 1)]);
        RunEntry[] run = [new("q1", "a", 1, 1, "t"), new("q2", "x", 1, 1, "t")]; // AP: q1 = 1, q2 = 0 (floored to 1e-5)
        var plain = TrecEvaluator.Evaluate(judgments, run, MeasureRegistry.Resolve(["gm_map"]));
        Assert.Equal(Math.Exp((Math.Log(1) + Math.Log(1e-5)) / 2), plain["gm_map"], 12);
        var complete = TrecEvaluator.Evaluate(judgments, run, MeasureRegistry.Resolve(["gm_map"]), new EvaluationOptions { AverageOverAllJudgedQueries = true });
        Assert.Equal(Math.Exp((Math.Log(1) + 2 * Math.Log(1e-5)) / 3), complete["gm_map"], 12);
    }
}
