using System.Text;
using System.Text.Json.Nodes;
using HardNegatives.Data;
using HardNegatives.Interactive.Formatting;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// A notebook with its stored outputs as one standalone HTML page: Markdown rendered, code in <c>&lt;pre&gt;</c>, outputs as
/// they were saved (<c>text/html</c> first, else <c>text/plain</c>; errors in red). Nothing is fetched from the network:
/// charts carry plotly.js inside their output (see <see cref="PlotlyHtml"/>), and where a committed notebook only references
/// it (<see cref="NotebookHygiene"/>) the page embeds Plotly.NET's copy once, so the page works offline and in headless Chromium.
/// </summary>
public static class NotebookHtmlPage
{
    public static void WriteFile(NotebookDocument notebook, string path) => AtomicFile.WriteAllText(path, Render(notebook));

    public static string Render(NotebookDocument notebook)
    {
        var title = notebook.Path is { } p ? Path.GetFileNameWithoutExtension(p) : "notebook";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Html.Encode(title)).Append("</title>\n<style>");
        sb.Append("""
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:16px auto;padding:0 16px;color:#222;background:#fff}
            .cell{margin:10px 0}.md h1,.md h2,.md h3{margin:.6em 0 .3em}
            pre{background:#f6f8fa;border:1px solid #ddd;border-radius:4px;padding:8px;overflow-x:auto;font-size:12.5px}
            .code .lang{font-size:11px;color:#777}.output{border-left:3px solid #8bc34a;padding:2px 0 2px 10px;margin:4px 0}
            .output pre{background:none;border:none;padding:2px}.error pre{color:#b00020}
            """);
        sb.Append("</style></head><body>\n");
        bool plotlyEmbedded = false;
        foreach (var cell in notebook.Cells)
        {
            if (cell.CellType == "markdown") { sb.Append("<div class=\"cell md\">").Append(MarkdownHtml.Render(cell.Source)).Append("</div>\n"); continue; }
            if (cell.CellType != "code") continue;
            sb.Append("<div class=\"cell code\"><div class=\"lang\">[").Append(cell.Index).Append("] ").Append(Html.Encode(cell.Kernel))
              .Append("</div><pre><code>").Append(Html.Encode(cell.Source)).Append("</code></pre>");
            foreach (var output in cell.Outputs.OfType<JsonObject>()) sb.Append(EmbedPlotly(Output(output), ref plotlyEmbedded));
            sb.Append("</div>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    // The first reference to plotly.js becomes the embedded library; later ones are dropped (the page has it).
    static string EmbedPlotly(string html, ref bool embedded)
    {
        if (!html.Contains(PlotlyHtml.LibraryMarker, StringComparison.Ordinal)) return html;
        var done = embedded;
        html = NotebookHygiene.ReferencedPlotly().Replace(html, _ =>
        {
            if (done) return "";
            done = true;
            return PlotlyHtml.EmbeddedLibrary;
        });
        embedded = done;
        return html;
    }

    static string Output(JsonObject output)
    {
        var type = output["output_type"]?.GetValue<string>();
        if (type == "stream") return $"<div class=\"output\"><pre>{Html.Encode(Text(output["text"]))}</pre></div>";
        if (type == "error")
            return $"<div class=\"output error\"><pre>{Html.Encode($"{output["ename"]}: {output["evalue"]}")}\n{Html.Encode(string.Join("\n", (output["traceback"] as JsonArray ?? []).Select(t => t?.ToString())))}</pre></div>";
        var data = output["data"] as JsonObject;
        if (data?["text/html"] is { } html) return $"<div class=\"output\">{Text(html)}</div>";
        if (data?["text/plain"] is { } plain) return $"<div class=\"output\"><pre>{Html.Encode(Text(plain))}</pre></div>";
        return "";
    }

    static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };
}
