using System.Diagnostics;
using System.Globalization;
using HardNegatives.Evaluation;
using HardNegatives.Experiments;
using HardNegatives.Generation;
using HardNegatives.Mining;
using HardNegatives.Reporting;

namespace HardNegatives.Tests.Reporting;

/// <summary>Numbers in tables and CLI output are the same under a comma-decimal locale (de-DE) as anywhere else.</summary>
public class InvariantCultureTests
{
    static readonly EvaluatedRun[] Runs =
    [
        new("BM25", "scifact", 1, new Dictionary<string, double> { ["q1"] = 0.5, ["q2"] = 0.75 }),
        new("BM25", "scifact", 2, new Dictionary<string, double> { ["q1"] = 0.25, ["q2"] = 0.75 }),
    ];

    static T UnderGerman<T>(Func<T> make)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try { return make(); }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void TablesDiagnosticsAndTrecEvalOutput_UseAPoint_UnderDeDe()
    {
        Assert.Equal("0,5", UnderGerman(() => 0.5.ToString())); // the locale is really in effect
        var table = ResultTableBuilder.Build("nDCG@10", Runs);
        var outputs = UnderGerman(() => new[]
        {
            ResultTableExport.ToMarkdown(table), ResultTableExport.ToLatex(table), ResultTableExport.ToHtml(table),
            ExperimentReport.DiagnosticsMarkdown([new NegativeDiagnostics("BM25", 10, 10, 0.125, 0.25, 1.5, 0.125)]),
            TrecEvalFormat.Format(TrecEvaluator.Evaluate(Judgments.From([new("q", "a", 1)]), [new("q", "a", 1, 0.5, "t")],
                MeasureRegistry.Resolve(["map", "P.5"])), perQuery: true),
        });
        Assert.Contains("0.5625 ± 0.0884", outputs[0]);
        Assert.Contains("0.5625 $\\pm$ 0.0884", outputs[1]);
        Assert.Contains("0.125", outputs[3]);
        Assert.Contains("12.5", outputs[3]);
        Assert.Contains("1.0000", outputs[4]);
        foreach (var text in outputs) Assert.DoesNotMatch(@"\d,\d", text);
    }

    [Fact]
    public void TheCli_PrintsInvariantNumbers_UnderAGermanLocale()
    {
        var dir = Directory.CreateTempSubdirectory("hn-de-").FullName;
        File.WriteAllText(Path.Combine(dir, "qrels"), "q 0 a 1\nq 0 b 1\n");
        File.WriteAllText(Path.Combine(dir, "run"), "q Q0 a 1 0.5 t\nq Q0 c 2 0.25 t\n");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hn.dll"));
        foreach (var a in new[] { "eval", Path.Combine(dir, "qrels"), Path.Combine(dir, "run"), "--sentence-transformers" }) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "de_DE.UTF-8";
        psi.Environment["LANG"] = "de_DE.UTF-8";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit(60_000);
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("0.5", output);
        Assert.DoesNotMatch(@"\d,\d", output);
    }
}

/// <summary>One default for Qwen3's thinking mode in hn generate and hn reproduce.</summary>
public class ThinkingDefaultsTests
{
    [Fact]
    public void Qwen3ThinksOnlyWhenAsked_OtherModelsFollowTheirTemplate()
    {
        Assert.Equal(ThinkingControl.TemplateKwargs, ThinkingDefaults.For("Qwen/Qwen3-4B"));
        Assert.Null(ThinkingDefaults.For("llama3.1:8b"));
        Assert.Equal(ThinkingControl.Leave, ThinkingDefaults.For("Qwen/Qwen3-4B", ThinkingControl.Leave));
        Assert.False(ThinkingDefaults.EmbeddedEnableThinking(ThinkingDefaults.For("Qwen/Qwen3-0.6B")));
        Assert.False(ThinkingDefaults.EmbeddedEnableThinking(ThinkingDefaults.For("stories260K")));
    }

    [Fact]
    public void MiningDefaults_AreTheSameInLibrarySpecAndCli()
    {
        var library = new HardNegativeMiningOptions();
        var spec = new NegativeSourceSpec(NegativeSourceKind.Bm25, "BM25");
        Assert.Equal(library.NumNegatives, spec.NumNegatives);
        Assert.Equal(library.RangeMin, spec.RangeMin);
        Assert.Equal(library.RangeMax, spec.RangeMax);
        Assert.Equal(new CrossEncoderMiningOptions().Candidates, spec.Candidates);
        Assert.Equal(MiningDefaults.NumNegatives, library.NumNegatives);
    }
}
