using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// Collects what one cell produces, as nbformat outputs: console text (<c>stream</c>), <c>display(...)</c> calls
/// (<c>display_data</c>, updated in place when a displayed value changes), the trailing expression (<c>execute_result</c>)
/// and a failure (<c>error</c>).
/// </summary>
public sealed class CellOutputs
{
    readonly List<object> items = []; // StringBuilder (a stream run) or JsonObject
    readonly Dictionary<string, JsonObject> displays = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    readonly TextWriter? echo;

    /// <param name="echo">Where live updates (progress) are also written as lines, e.g. stderr in the CLI; null for none.</param>
    public CellOutputs(TextWriter? echo = null) => this.echo = echo;

    /// <summary>The mime types every displayed value is formatted to.</summary>
    public static readonly string[] MimeTypes = [HtmlFormatter.MimeType, PlainTextFormatter.MimeType];

    public void WriteStdout(string text)
    {
        lock (gate)
        {
            if (items.Count > 0 && items[^1] is StringBuilder sb) sb.Append(text);
            else items.Add(new StringBuilder(text));
        }
    }

    /// <summary>Shows a value (HTML and plain text) and returns the handle that updates it in place.</summary>
    public DisplayedValue Display(object? value, string[]? mimeTypes = null)
    {
        var formatted = FormattedValue.CreateManyFromObject(value, mimeTypes is { Length: > 0 } ? mimeTypes : MimeTypes);
        var shown = new DisplayedValue(value, formatted);
        var output = new JsonObject { ["output_type"] = "display_data", ["data"] = Data(formatted), ["metadata"] = new JsonObject() };
        lock (gate)
        {
            items.Add(output);
            displays[shown.DisplayId] = output;
        }
        return shown;
    }

    /// <summary>Applies an update of a displayed value; returns false if the value was not displayed by this cell.</summary>
    public bool TryUpdate(DisplayedValue updated)
    {
        lock (gate)
        {
            if (!displays.TryGetValue(updated.DisplayId, out var output)) return false;
            output["data"] = Data(updated.FormattedValues);
        }
        if (echo is not null && updated.FormattedValues.FirstOrDefault(f => f.MimeType == PlainTextFormatter.MimeType) is { } text)
            echo.WriteLine(text.Value);
        return true;
    }

    public void SetResult(object value, int executionCount)
    {
        var formatted = FormattedValue.CreateManyFromObject(value, MimeTypes);
        lock (gate) items.Add(new JsonObject { ["output_type"] = "execute_result", ["execution_count"] = executionCount, ["data"] = Data(formatted), ["metadata"] = new JsonObject() });
    }

    public void SetError(string name, string message, IEnumerable<string> traceback)
    {
        lock (gate) items.Add(new JsonObject
        {
            ["output_type"] = "error", ["ename"] = name, ["evalue"] = message,
            ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
        });
    }

    /// <summary>The outputs in the order they happened.</summary>
    public IReadOnlyList<JsonObject> ToJson()
    {
        lock (gate)
            return items.Select(i => i is StringBuilder sb
                ? new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = NotebookCell.SplitLines(sb.ToString()) }
                : (JsonObject)((JsonObject)i).DeepClone()).ToList();
    }

    static JsonObject Data(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var v in values) data[v.MimeType] = v.Value;
        return data;
    }
}
