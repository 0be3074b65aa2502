using System.Text.Json;

namespace HardNegatives.Data;

/// <summary>Streams BEIR's JSONL files (corpus, queries); every problem names the file and line.</summary>
public static class JsonlReader
{
    /// <summary>Streams documents from a <c>corpus.jsonl[.gz]</c>; never holds more than one line in memory.</summary>
    public static IEnumerable<Document> ReadCorpus(string path) =>
        ReadObjects(path).Select(o => new Document(o.Id, o.Get("title"), o.Get("text")));

    /// <summary>Streams queries from a <c>queries.jsonl[.gz]</c>.</summary>
    public static IEnumerable<Query> ReadQueries(string path) =>
        ReadObjects(path).Select(o => new Query(o.Id, o.Get("text")));

    /// <summary>A parsed JSONL line with its location, for validators that need the line number.</summary>
    public sealed record Line(string Path, long Number, string Id, IReadOnlyDictionary<string, string> Fields)
    {
        public string Get(string field) => Fields.TryGetValue(field, out var v) ? v : "";
    }

    /// <summary>Streams the objects of a JSONL file with their string fields; throws <see cref="DataFormatException"/> on bad lines.</summary>
    public static IEnumerable<Line> ReadObjects(string path)
    {
        foreach (var (number, text) in TextFiles.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            Dictionary<string, string> fields;
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(path, number, $"expected a JSON object, found {doc.RootElement.ValueKind}");
                fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.String) fields[p.Name] = p.Value.GetString()!;
                    else if (p.Value.ValueKind == JsonValueKind.Number) fields[p.Name] = p.Value.GetRawText();
                }
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, number, $"malformed JSON ({e.Message.Split(" Path:")[0]})");
            }
            if (!fields.TryGetValue("_id", out var id) || id.Length == 0)
                throw new DataFormatException(path, number, "missing \"_id\"");
            yield return new Line(path, number, id, fields);
        }
    }
}
