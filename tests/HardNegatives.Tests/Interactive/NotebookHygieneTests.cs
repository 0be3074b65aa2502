using System.Text.Json.Nodes;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

public class NotebookHygieneTests
{
    static JsonObject Executed(string kernelspec) => (JsonObject)JsonNode.Parse($$$"""
        {"nbformat": 4, "nbformat_minor": 4,
         "metadata": {"kernelspec": {"name": "{{{kernelspec}}}"}, "language_info": {"name": "C#"}},
         "cells": [
          {"cell_type": "code", "metadata": {"execution": {"iopub.execute_input": "2026-12-02T07:00:00Z"}}, "execution_count": 1, "source": "1",
           "outputs": [
             {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<div id='dotnet-interactive-this-cell-1'></div><script>probe('http://127.0.0.1:2048')</script>"}},
             {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "Loading extensions from `/home/me/.nuget/packages/hardnegatives.interactive/0.1.0/interactive-extensions/dotnet/HardNegatives.Interactive.Extension.dll`"}},
             {"output_type": "stream", "name": "stdout", "text": "wrote /home/me/.cache/x and /tmp/hn-t/y"},
             {"output_type": "stream", "name": "stdout", "text": "Loading extensions from a cell's own print stays"},
             {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<script type=\"text/javascript\" data-hn-plotly=\"2.27.1\">/* 3.5 MB */</script><div id=\"hn-plot-1\"></div>"}}
           ]},
          {"cell_type": "markdown", "metadata": {}, "source": "text"}
         ]}
        """)!.AsObject();

    [Fact]
    public void Apply_Gives45WithIds_FrontEndLanguages_NoBootstrapNoTimingsNoPaths_AndPlotlyReferenced()
    {
        var nb = Executed(".net-fsharp");
        NotebookHygiene.Apply(nb, [("/home/me", "~"), ("/tmp/hn-t", "$HN_HOME")]);
        Assert.Equal(5, nb["nbformat_minor"]!.GetValue<int>());
        Assert.Equal("fsharp", nb["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        var cells = nb["cells"]!.AsArray();
        Assert.All(cells, c => Assert.StartsWith("cell-", c!["id"]!.GetValue<string>()));
        var code = cells[0]!.AsObject();
        Assert.Null(code["metadata"]!["execution"]);
        var outputs = code["outputs"]!.AsArray();
        Assert.Equal(3, outputs.Count);   // the kernel's bootstrap script and its extension-loading notice are gone
        Assert.Equal("wrote ~/.cache/x and $HN_HOME/y", outputs[0]!["text"]!.GetValue<string>());
        Assert.Equal("Loading extensions from a cell's own print stays", outputs[1]!["text"]!.GetValue<string>());
        var html = outputs[2]!["data"]!["text/html"]!.GetValue<string>();
        Assert.DoesNotContain("3.5 MB", html);
        Assert.Contains("src=\"https://cdn.plot.ly/plotly-2.27.1.min.js\"", html);
        // Deterministic: applying it again changes nothing.
        var once = nb.ToJsonString();
        NotebookHygiene.Apply(nb, [("/home/me", "~")]);
        Assert.Equal(once, nb.ToJsonString());
    }

    [Fact]
    public void HtmlPage_EmbedsPlotlyOnce_ForACommittedNotebookThatOnlyReferencesIt()
    {
        var nb = Executed(".net-csharp");
        NotebookHygiene.Apply(nb, []);
        var cells = nb["cells"]!.AsArray();
        cells.Add(cells[0]!.DeepClone());
        cells[2]!["id"] = "second";
        var page = NotebookHtmlPage.Render(NotebookDocument.Parse(nb.ToJsonString()));
        Assert.Equal(2, page.Split(PlotlyHtml.LibraryMarker).Length);   // one library element: embedded once
        Assert.DoesNotContain("src=\"https://cdn.plot.ly", page);
    }
}
