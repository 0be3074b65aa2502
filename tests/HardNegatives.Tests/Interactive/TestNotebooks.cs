using System.Text.Json.Nodes;

namespace HardNegatives.Tests.Interactive;

/// <summary>Builds small Polyglot notebooks (nbformat 4) in a temporary folder for runner tests.</summary>
static class TestNotebooks
{
    public static JsonObject Code(string source, string kernel = "csharp", params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = kernel },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel },
        };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray());
        return new JsonObject { ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = metadata, ["outputs"] = new JsonArray(), ["source"] = source };
    }

    public static JsonObject Markdown(string source) =>
        new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source };

    public static string Write(string directory, string name, params JsonObject[] cells)
    {
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp", ["items"] = new JsonArray(new JsonObject { ["name"] = "csharp" }, new JsonObject { ["name"] = "fsharp" }) } },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hn-nb-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>All output text of a cell (every mime type and stream), for assertions.</summary>
    public static string OutputText(JsonObject notebook, int cellIndex) =>
        string.Join("\n", ((JsonArray)notebook["cells"]![cellIndex]!["outputs"]!).Select(o => o!.ToJsonString(Relaxed)));

    static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
