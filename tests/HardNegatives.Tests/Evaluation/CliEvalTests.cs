using System.Diagnostics;

namespace HardNegatives.Tests.Evaluation;

/// <summary>Runs the built <c>hn</c> and checks trec_eval's exact output layout (hand-derived values).</summary>
public class CliEvalTests
{
    static (int Code, string Out, string Err) Hn(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hn.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    static (string Qrels, string Run) Files()
    {
        var dir = Directory.CreateTempSubdirectory("hn-eval-cli-").FullName;
        // qA: a=1 b=0 c=2 d=1 (R=3); q2: only grade 0; q3: missing from the run; q9: in the run only.
        File.WriteAllText(Path.Combine(dir, "qrels"), "qA 0 a 1\nqA 0 b 0\nqA 0 c 2\nqA 0 d 1\nq2 0 x 0\nq2 0 y 0\nq3 0 z 1\n");
        // qA order after trec_eval's sort: c e b a d (ties by docid descending) -> AP 0.7, P_5 0.6.
        File.WriteAllText(Path.Combine(dir, "run"),
            "qA Q0 a 1 0.5 t\nqA Q0 b 2 0.5 t\nqA Q0 c 3 0.9 t\nqA Q0 e 4 0.5 t\nqA Q0 d 5 0.1 t\nq2 Q0 x 1 1 t\nq9 Q0 z 1 1 t\n");
        return (Path.Combine(dir, "qrels"), Path.Combine(dir, "run"));
    }

    [Fact]
    public void PerQueryAndSummaryLinesLikeTrecEval()
    {
        var (qrels, run) = Files();
        var (code, output, _) = Hn("eval", qrels, run, "-m", "map", "-m", "P.5", "-m", "num_q", "-q");
        Assert.Equal(0, code);
        Assert.Equal(
            "map                   \tq2\t0.0000\n" +
            "P_5                   \tq2\t0.0000\n" +
            "map                   \tqA\t0.7000\n" +
            "P_5                   \tqA\t0.6000\n" +
            "num_q                 \tall\t2\n" +
            "map                   \tall\t0.3500\n" +
            "P_5                   \tall\t0.3000\n", output);
    }

    [Fact]
    public void CompleteAveragingWithC()
    {
        var (qrels, run) = Files();
        var (code, output, _) = Hn("eval", "-c", qrels, run, "-m", "num_q", "-m", "map", "-m", "P.5");
        Assert.Equal(0, code);
        // Averaged over qA, q2, q3: 0.7/3 = 0.2333, 0.6/3 = 0.2000.
        Assert.Equal("num_q                 \tall\t3\nmap                   \tall\t0.2333\nP_5                   \tall\t0.2000\n", output);
    }

    [Fact]
    public void JsonHasFullPrecision()
    {
        var (qrels, run) = Files();
        var (code, output, _) = Hn("eval", qrels, run, "-m", "map", "-c", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"map\": 0.2333333333333333", output);
    }

    [Fact]
    public void BadInputIsOneErrorLine()
    {
        var (qrels, run) = Files();
        File.AppendAllText(run, "qA Q0 c 9 0.3 t\n");
        var (code, output, error) = Hn("eval", qrels, run, "-m", "map");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: run lists document 'c' more than once for query 'qA'", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void CompareReportsDeltasAndHolm()
    {
        var (qrels, run) = Files();
        var better = Path.Combine(Path.GetDirectoryName(run)!, "better");
        // qA: c, a, d first -> AP 1; q2 unchanged. Baseline AP: qA 0.7, q2 0.
        File.WriteAllText(better, "qA Q0 c 1 0.9 u\nqA Q0 a 2 0.8 u\nqA Q0 d 3 0.7 u\nq2 Q0 x 1 1 u\n");
        var (code, output, error) = Hn("compare", qrels, run, better, "-m", "map", "--json");
        Assert.True(code == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal("better", rows[1].GetProperty("System").GetString());
        Assert.Equal(0.15, rows[1].GetProperty("Delta").GetDouble(), 12); // (1 + 0)/2 − (0.7 + 0)/2
        Assert.Equal(1.0, rows[1].GetProperty("RandomizationP").GetDouble(), 12); // d = [0, 0.3]: every sign flip gives |sum| = 0.3
        var (tableCode, table, tableError) = Hn("compare", qrels, run, better, "-m", "map");
        Assert.True(tableCode == 0, tableError);
        Assert.Contains("+0.1500", table);
    }

    [Fact]
    public void BenchEvalProducesTheMarkdownSection()
    {
        // Tiny shapes: checks the command runs end to end and reports every size; no timing is asserted.
        var (code, output, error) = Hn("bench", "eval", "--queries", "4", "--documents", "64", "--dim", "8", "--growth", "32",
            "--repeats", "1", "--top-k", "5", "--doc-chunk", "16");
        Assert.True(code == 0, error);
        Assert.StartsWith("## Exact dense search", output);
        Assert.Contains("| 32 |", output);
        Assert.Contains("| 64 |", output);
        Assert.Contains("Growth from 32 to 64 documents", output);
    }
}
