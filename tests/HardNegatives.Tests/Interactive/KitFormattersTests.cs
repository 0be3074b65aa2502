using System.Text.RegularExpressions;
using HardNegatives.Data;
using HardNegatives.Interactive;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Interactive.Progress;
using HardNegatives.Negatives;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Tests.Interactive;

public class KitFormattersTests
{
    static string Html(object value) => KitFormatters.ToHtml(value);

    [Fact]
    public void Register_InstallsHtmlFormattersForEveryKitType()
    {
        KitFormatters.Register();
        foreach (var type in KitFormatters.FormattedTypes)
        {
            var formatter = Formatter.GetPreferredFormatterFor(type, HtmlFormatter.MimeType);
            Assert.True(formatter.Type == type, $"{type.Name}: preferred HTML formatter is for {formatter.Type.Name}");
        }
    }

    [Fact]
    public void Triple_ShowsQueryPositiveAndNegativesSideBySide_WithScoresAndOverlap()
    {
        var triple = new Triple("q1", "statin therapy lowers LDL cholesterol", "d1", "Statin therapy reduced LDL <b>levels</b>.",
            [new Negative("d9", "Cholesterol in diet and heart disease.", 11.5, 3), new Negative("d7", "Unrelated text about bees.", 2.25, 40)],
            "bm25", new Dictionary<string, string> { ["range"] = "10:100" }, 14.0);
        var html = Html(triple);
        Assert.Contains("hn-kit", html);
        Assert.Equal(3, Regex.Matches(html, "class=\"hn-card").Count);
        Assert.Contains("score 14", html);
        Assert.Contains("score 11.5 · rank 3", html);
        Assert.Contains("score 2.25 · rank 40", html);
        // Query words are marked case-insensitively; function words and non-shared words are not.
        Assert.Contains("<mark>Statin</mark> <mark>therapy</mark> reduced <mark>LDL</mark>", html);
        Assert.Contains("<mark>Cholesterol</mark> in diet", html);
        Assert.DoesNotContain("<mark>in</mark>", html);
        Assert.Contains("shares 3/5 query words", html);   // statin, therapy, ldl of {statin, therapy, lowers, ldl, cholesterol}
        Assert.Contains("shares 0/5 query words", html);
        // Passage text is encoded, never injected.
        Assert.Contains("&lt;b&gt;levels&lt;/b&gt;", html);
        Assert.Contains("range=10:100", html);
    }

    [Fact]
    public void DatasetStats_RendersCountsSplitsAndLengths()
    {
        var stats = new DatasetStats("toy", 1234, 56, [new SplitStats("test", 50, 60, 1.2, 3)], LengthStats.Of([1, 2, 3, 10]), LengthStats.Of([4, 6]));
        var html = Html(stats);
        Assert.Contains("dataset toy", html);
        Assert.Contains("<td class=\"num\">1,234</td>", html);
        Assert.Contains("<td>test</td><td class=\"num\">50</td><td class=\"num\">60</td><td class=\"num\">1.2</td><td class=\"num\">3</td>", html);
        // documents: count 4, mean 4, min 1, median 2, p90 10, max 10
        Assert.Contains("<td>documents</td><td class=\"num\">4</td><td class=\"num\">4</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">10</td><td class=\"num\">10</td>", html);
    }

    [Fact]
    public void DataFrame_RendersHeaderRowsAndTruncationNote()
    {
        var frame = new DataFrame(new StringDataFrameColumn("dataset", ["scifact", "nfcorpus"]), new DoubleDataFrameColumn("ndcg@10", [0.6723, 0.3251]));
        var html = Html(frame);
        Assert.Contains("<th>dataset</th><th>ndcg@10</th>", html);
        Assert.Contains("<td>scifact</td><td class=\"num\">0.6723</td>", html);
        Assert.DoesNotContain("rows shown", html);
        var big = new DataFrame(new Int32DataFrameColumn("i", Enumerable.Range(0, DataFrameHtml.MaxRows + 5)));
        Assert.Contains($"{DataFrameHtml.MaxRows} of {DataFrameHtml.MaxRows + 5} rows shown", Html(big));
    }

    [Fact]
    public void RecordTable_RendersRecordsAsHtmlAndText()
    {
        var table = RecordTable.Of(new[] { new { Dataset = "scifact", Ndcg = 0.5 }, new { Dataset = "fiqa", Ndcg = 0.25 } }, "nDCG@10");
        var html = Html(table);
        Assert.Contains("<caption>nDCG@10</caption>", html);
        Assert.Contains("<td>fiqa</td><td class=\"num\">0.25</td>", html);
        Assert.Equal("nDCG@10\nDataset  Ndcg\nscifact  0.5\nfiqa     0.25", KitFormatters.ToPlainText(table).Replace("\r\n", "\n"));
    }

    [Fact]
    public void TrainingCurve_RendersSvgPolylinePerCurve()
    {
        var a = new TrainingCurve("bm25", [new(0, 2.0), new(10, 1.0), new(20, 0.5)]);
        var b = new TrainingCurve("llm", [new(0, 2.0), new(20, 0.25)]);
        var html = TrainingCurveHtml.Render([a, b]);
        Assert.Equal(2, Regex.Matches(html, "<polyline").Count);
        // x: step 0 → left edge 56, step 20 → 548; y: loss 2 (max) → top 12, loss 0 → 244.
        Assert.Contains("points=\"56,12 302,128 548,186\"", html);
        Assert.Contains("bm25: step 20, loss 0.5", html);
        Assert.Contains("<svg", Html(a));
    }

    [Fact]
    public void PlotlyChart_EmbedsPlotlyJsOncePerSession_NeverFromCdn()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<int, double, string>(x: [1, 2, 3], y: [0.1, 0.2, 0.4], Name: "ndcg");
        PlotlyHtml.BeginSession();
        var first = Html(chart);
        var second = Html(chart);
        Assert.Contains($"plotly.js v{PlotlyHtml.PlotlyJsVersion}", first);
        Assert.True(first.Length > 1_000_000, "the first chart carries plotly.js");
        Assert.DoesNotContain("plotly.js v", second);
        Assert.True(second.Length < 20_000);
        Assert.Contains("Plotly.newPlot(", second);
        Assert.Contains("\"name\":\"ndcg\"", second);
        // No script is loaded from anywhere: the page needs no network (plotly.js itself mentions a CDN only for geo topojson).
        Assert.DoesNotContain("<script src", first + second);
        Assert.DoesNotContain("cdn.plot.ly/plotly", first + second);
    }

    [Fact]
    public void LiveProgress_UpdatesTheDisplayedValueInPlace()
    {
        var updates = new List<string>();
        var shown = new DisplayedValue(ProgressView.Waiting("mining"), FormattedValue.CreateManyFromObject(ProgressView.Waiting("mining"), PlainTextFormatter.MimeType));
        using var sub = Formatter.SubscribeToDisplayedValues(v => { if (v.DisplayId == shown.DisplayId) updates.Add(v.FormattedValues[0].Value); });
        KitFormatters.Register();
        var progress = new LiveProgress<int>(shown, "mining", done => (done, 4, $"q{done}"), TimeSpan.FromHours(1));
        progress.Report(1);   // shown: the first report is always due
        progress.Report(2);   // throttled
        progress.Report(4);   // the last unit is always shown
        progress.Complete();
        Assert.Equal(3, updates.Count);
        Assert.StartsWith("mining  1/4 (25%)", updates[0]);
        Assert.Contains("4/4 (100%)", updates[1]);
        Assert.Contains("done", updates[2]);
        Assert.Contains("<progress max=\"1\" value=\"1\">", progress.Current.ToHtml());
    }

    [Fact]
    public void KernelExtension_IsPackedIntoInteractiveExtensions_AndKernelPackagesStayPrivate()
    {
        var csproj = File.ReadAllText(Path.Combine(RepoRoot(), "src", "HardNegatives.Interactive", "HardNegatives.Interactive.csproj"));
        Assert.Contains("HardNegatives.Interactive.Extension.csproj", csproj);
        Assert.Contains("PackagePath=\"interactive-extensions/dotnet/\"", csproj);
        Assert.Contains("<PackageReference Include=\"Microsoft.DotNet.Interactive.Formatting\" PrivateAssets=\"all\" />", csproj);
        Assert.DoesNotContain("\"Microsoft.DotNet.Interactive\"", csproj);
        var extension = File.ReadAllText(Path.Combine(RepoRoot(), "src", "HardNegatives.Interactive.Extension", "HnKernelExtension.cs"));
        Assert.Contains("IKernelExtension", extension);
        Assert.Contains("KitFormatters.Register();", extension);
    }

    internal static string RepoRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "HardNegatives.Notebooks.sln"))) return dir;
        throw new DirectoryNotFoundException("repository root (HardNegatives.Notebooks.sln) not found above " + AppContext.BaseDirectory);
    }
}
