using System.Runtime.CompilerServices;
using Plotly.NET;

namespace HardNegatives.Interactive.Formatting;

/// <summary>How a chart output carries plotly.js.</summary>
public enum PlotlyEmbedding
{
    /// <summary>The first chart of a session embeds plotly.js (about 3.5 MB); later charts wait for it. Outputs of one
    /// notebook share one page in VS Code, Jupyter and the rendered HTML, so one copy is enough.</summary>
    OncePerSession,
    /// <summary>Every chart embeds plotly.js: each output stands alone, at 3.5 MB each.</summary>
    EveryChart,
}

/// <summary>
/// A Plotly.NET chart as HTML that works offline: plotly.js comes from the copy that ships inside the Plotly.NET
/// assembly (the same file <c>PlotlyJSReference.Full</c> embeds), never from a CDN.
/// </summary>
public static class PlotlyHtml
{
    public static PlotlyEmbedding Embedding { get; set; } = PlotlyEmbedding.OncePerSession;

    // Whether this session's page already has plotly.js: process-wide in a notebook kernel, per run (async flow) in the runner.
    static readonly StrongBox<int> ProcessSession = new();
    static readonly AsyncLocal<StrongBox<int>?> FlowSession = new();
    static readonly Lazy<string> PlotlyJs = new(LoadPlotlyJs);
    static int chartCount;

    /// <summary>
    /// The attribute that marks the script element carrying plotly.js, so tools can find it: <see cref="Runner.NotebookHygiene"/>
    /// swaps it for a CDN reference in committed notebooks, <see cref="Runner.NotebookHtmlPage"/> embeds the library again.
    /// </summary>
    public const string LibraryMarker = "data-hn-plotly";

    /// <summary>The script element that embeds plotly.js (about 3.5 MB).</summary>
    public static string EmbeddedLibrary => $"<script type=\"text/javascript\" {LibraryMarker}=\"{PlotlyJsVersion}\">{PlotlyJs.Value}</script>";

    /// <summary>Starts a new page for this async flow (a notebook run): its first chart embeds plotly.js again.</summary>
    public static void BeginSession() => FlowSession.Value = new StrongBox<int>();

    /// <summary>The plotly.js version that ships with Plotly.NET (from the embedded resource's name).</summary>
    public static string PlotlyJsVersion => ResourceName().Split("plotly-")[1].Replace(".min.js", "");

    public static string Render(GenericChart chart)
    {
        // Labels come from specs and data: "<" inside the figure's JSON strings must not end the script block.
        var figure = HardNegatives.Reporting.ReportText.ScriptJson(GenericChart.toFigureJson(chart));
        // Ids derive from the content and the order of charts in the session, so a rerun writes the same output.
        var id = $"hn-plot-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(figure)))[..12]}-{Interlocked.Increment(ref chartCount)}";
        bool embed = Embedding == PlotlyEmbedding.EveryChart || Interlocked.Exchange(ref (FlowSession.Value ?? ProcessSession).Value, 1) == 0;
        var library = embed ? EmbeddedLibrary : "";
        // Charts after the first wait (up to 20 s) for the embedded copy, in case outputs load out of order.
        var draw = $$$"""
            <script type="text/javascript">
            (function(){var fig={{{figure}}};var tries=0;
            function draw(){if(window.Plotly){Plotly.newPlot('{{{id}}}',fig.data,fig.layout,{responsive:true});}
            else if(tries++<200){setTimeout(draw,100);}
            else{document.getElementById('{{{id}}}').textContent='plotly.js did not load: run the notebook again or set PlotlyHtml.Embedding = PlotlyEmbedding.EveryChart';}}
            draw();})();
            </script>
            """;
        return Html.Wrap($"{library}<div id=\"{id}\" class=\"hn-plot\" style=\"min-height:360px\"></div>{draw}");
    }

    static string ResourceName() =>
        typeof(GenericChart).Assembly.GetManifestResourceNames().FirstOrDefault(n => n.Contains("plotly-") && n.EndsWith(".min.js"))
        ?? throw new InvalidOperationException("Plotly.NET no longer ships plotly.js as a resource; charts cannot be embedded for offline use");

    static string LoadPlotlyJs()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName())!;
        using var reader = new StreamReader(stream);
        // A literal "</script>" inside the library would end the tag early; escape it the standard way.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
