using HardNegatives.Data;
using HardNegatives.Experiments;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Reporting;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 2: a spec whose name is a path, or whose source names hold markup. Names are checked at load time (file:line);
/// every spec-derived string is escaped in HTML, Markdown, LaTeX and in the charts' script blocks.
/// </summary>
public sealed class HostileSpecTests
{
    internal const string Spec = """
        {
          "name": "tiny",
          "training": { "dataset": "scifact", "split": "train" },
          "sources": [
            { "kind": "random", "name": "Random" },
            { "kind": "bm25", "name": "BM25", "range_min": 10, "range_max": 100 }
          ],
          "model": { "base": "tiny:layers=2,dim=64", "batch_size": 16 },
          "evaluation": { "datasets": ["scifact"] },
          "seeds": [1, 2]
        }
        """;

    const string Script = "</script><script>alert(1)</script>";

    [Theory]
    [InlineData("/tmp/elsewhere")]
    [InlineData("../../outside")]
    [InlineData("..")]
    [InlineData("C:\\\\Windows")]
    [InlineData("a/b")]
    public void A_spec_name_that_is_a_path_is_refused_with_its_line(string name)
    {
        var json = Spec.Replace("\"name\": \"tiny\"", $"\"name\": \"{name}\"");
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(json, "spec.json"));
        Assert.Equal(2, e.Line);
        Assert.StartsWith("spec.json:2: name: ", e.Message);
        Assert.Contains("letters, digits", e.Message);
    }

    [Fact]
    public void A_source_name_with_a_line_break_is_refused_with_its_line()
    {
        var json = Spec.Replace("\"name\": \"BM25\"", "\"name\": \"BM\\n25\"");
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(json, "spec.json"));
        Assert.Equal(6, e.Line);
        Assert.Contains("sources[1].name", e.Message);
    }

    static ResultTable Hostile() => ResultTableBuilder.Build("nDCG@10",
    [
        new EvaluatedRun(Script, "scifact", 1, new Dictionary<string, double> { ["q1"] = 0.5, ["q2"] = 0.25 }),
        new EvaluatedRun("a$b{c}^~%", "<img src=x onerror=alert(2)>", 1, new Dictionary<string, double> { ["q1"] = 0.5 }),
    ]);

    [Fact]
    public void Bars_html_never_carries_a_name_into_its_script_block()
    {
        var html = Figures.ToStandaloneHtml(Figures.GroupedBars(Hostile()));
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;/script&gt;", html); // shown as written: plotly.js decodes the entities in labels
    }

    [Fact]
    public void Notebook_charts_escape_script_in_their_figure_json()
    {
        var chart = Plotly.NET.CSharp.Chart.Column<double, string, string>(values: new[] { 1.0 }, Keys: new List<string> { "x" }, Name: Script);
        var html = PlotlyHtml.Render(chart);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("\\u003c/script>", html);
    }

    [Fact]
    public void Markdown_and_latex_tables_escape_names()
    {
        var table = Hostile();
        var md = ResultTableExport.ToMarkdown(table);
        Assert.DoesNotContain("<script", md);
        Assert.DoesNotContain("<img", md);
        Assert.Contains("&lt;/script&gt;", md);
        var tex = ResultTableExport.ToLatex(table);
        Assert.Contains(@"a\$b\{c\}\textasciicircum{}\textasciitilde{}\%", tex);
        var html = ResultTableExport.ToHtmlPage(table, "t");
        Assert.DoesNotContain("<script>alert", html);
    }

    [Fact]
    public void Diagnostics_markdown_escapes_source_names()
    {
        var md = ExperimentReport.DiagnosticsMarkdown([new NegativeDiagnostics(Script, 1, 1, 0, 0, 1, null)]);
        Assert.DoesNotContain("<script", md);
    }
}
