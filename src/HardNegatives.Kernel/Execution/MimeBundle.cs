using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Kernel.Execution;

/// <summary>A value as a Jupyter MIME bundle: the kit's formatters' <c>text/html</c> and <c>text/plain</c>.</summary>
static class MimeBundle
{
    public static readonly string[] MimeTypes = [HtmlFormatter.MimeType, PlainTextFormatter.MimeType];

    public static IReadOnlyList<FormattedValue> Format(object? value) => FormattedValue.CreateManyFromObject(value, MimeTypes);

    public static JsonObject ToJson(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var value in values) data[value.MimeType] = value.Value;
        return data;
    }
}
