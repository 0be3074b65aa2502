using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HardNegatives.Data;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// An <c>.ipynb</c> file in the Polyglot Notebooks flavour of nbformat 4: the notebook's default kernel in
/// <c>metadata.polyglot_notebook.kernelInfo.defaultKernelName</c>, each cell's in <c>metadata.polyglot_notebook.kernelName</c>
/// (older files: <c>metadata.dotnet_interactive.language</c>). Unknown fields are kept as they are, so a run only changes outputs.
/// </summary>
public sealed class NotebookDocument
{
    readonly JsonObject root;

    NotebookDocument(JsonObject root, string? path)
    {
        this.root = root;
        Path = path;
        if (root["cells"] is not JsonArray cells) throw new InvalidDataException($"{path}: not a notebook (no \"cells\" array)");
        Cells = cells.Select((c, i) => new NotebookCell(c as JsonObject ?? throw new InvalidDataException($"{path}: cell {i} is not an object"), i, DefaultKernel)).ToList();
    }

    /// <summary>Where the notebook was read from, if it came from a file.</summary>
    public string? Path { get; }

    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The kernel of cells that name none: <c>csharp</c> unless the notebook says otherwise.</summary>
    public string DefaultKernel =>
        root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
        ?? (root["metadata"]?["kernelspec"]?["name"]?.GetValue<string>() is { } spec && spec.Contains("fsharp") ? "fsharp" : "csharp");

    /// <summary>The notebook-level metadata object (created if missing).</summary>
    public JsonObject Metadata => root["metadata"] as JsonObject ?? (JsonObject)(root["metadata"] = new JsonObject());

    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook not found: {path}", path);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
        return new NotebookDocument(node as JsonObject ?? throw new InvalidDataException($"{path}: not a notebook"), path);
    }

    public static NotebookDocument Parse(string json) => new(JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("not a notebook"), null);

    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        // Keep HTML and non-ASCII text readable in the file, as Jupyter writes it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => root.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes the notebook atomically (readers never see half a file).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());
}

/// <summary>One cell of a <see cref="NotebookDocument"/>.</summary>
public sealed class NotebookCell
{
    readonly JsonObject json;
    readonly string defaultKernel;

    internal NotebookCell(JsonObject json, int index, string defaultKernel)
    {
        this.json = json;
        this.defaultKernel = defaultKernel;
        Index = index;
    }

    /// <summary>Position in the notebook, from 0 (as the runner's errors report it).</summary>
    public int Index { get; }

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string CellType => json["cell_type"]?.GetValue<string>() ?? "code";

    /// <summary>The cell's kernel: <c>csharp</c>, <c>fsharp</c>, <c>markdown</c>, … (Polyglot metadata, else the notebook default).</summary>
    public string Kernel =>
        CellType == "markdown" ? "markdown"
        : json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
          ?? json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
          ?? defaultKernel;

    /// <summary>The source text; nbformat allows a string or a list of lines.</summary>
    public string Source
    {
        get => json["source"] switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
            JsonValue v => v.GetValue<string>(),
            _ => "",
        };
        set => json["source"] = SplitLines(value);
    }

    /// <summary>Cell tags (<c>metadata.tags</c>), e.g. <c>parameters</c>.</summary>
    public IReadOnlyList<string> Tags =>
        json["metadata"]?["tags"] is JsonArray tags ? tags.Select(t => t?.GetValue<string>() ?? "").ToList() : [];

    public bool IsParameters => CellType == "code" && Tags.Contains("parameters");

    /// <summary>The outputs as stored (nbformat output objects).</summary>
    public JsonArray Outputs => json["outputs"] as JsonArray ?? (JsonArray)(json["outputs"] = new JsonArray());

    internal void SetOutputs(IEnumerable<JsonObject> outputs, int? executionCount)
    {
        if (CellType != "code") return;
        json["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray());
        json["execution_count"] = executionCount;
    }

    /// <summary>nbformat stores source as lines that keep their line breaks.</summary>
    internal static JsonArray SplitLines(string text)
    {
        var lines = new JsonArray();
        var sb = new StringBuilder();
        foreach (var ch in text)
        {
            sb.Append(ch);
            if (ch == '\n') { lines.Add(sb.ToString()); sb.Clear(); }
        }
        if (sb.Length > 0) lines.Add(sb.ToString());
        return lines;
    }
}
