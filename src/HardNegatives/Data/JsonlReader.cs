using System.Text.Json;

namespace HardNegatives.Data;

/// <summary>Streams BEIR's JSONL files (corpus, queries); every problem names the file and line.</summary>
public static class JsonlReader
{
    /// <summary>
    /// Streams documents from a <c>corpus.jsonl[.gz]</c>, holding one line and a 64-bit hash per id seen. A repeated id or
    /// an empty corpus is refused with file:line (a repeated id would list one document twice in every run).
    /// </summary>
    public static IEnumerable<Document> ReadCorpus(string path)
    {
        var ids = new CorpusIdSet(path);
        foreach (var o in ReadObjects(path))
        {
            ids.Add(o.Id, o.Number);
            yield return new Document(o.Id, o.Get("title"), o.Get("text"));
        }
        if (ids.Count == 0) throw new DataFormatException(path, 1, "the corpus holds no documents; check that the file is the corpus (one JSON object per line with \"_id\", \"title\", \"text\")");
    }

    /// <summary>Streams queries from a <c>queries.jsonl[.gz]</c>.</summary>
    public static IEnumerable<Query> ReadQueries(string path) =>
        ReadObjects(path).Select(o => new Query(o.Id, o.Get("text")));

    /// <summary>A parsed JSONL line with its location, for validators that need the line number.</summary>
    public sealed record Line(string Path, long Number, string Id, IReadOnlyDictionary<string, string> Fields)
    {
        public string Get(string field) => Fields.TryGetValue(field, out var v) ? v : "";

        /// <summary>The line held bytes that are not UTF-8 (read as U+FFFD; a JSON-escaped <c>\ufffd</c> does not count).</summary>
        public bool HasInvalidUtf8 { get; init; }
    }

    /// <summary>The outcome of parsing one line: a <see cref="Line"/>, or the problem that stops it being one.</summary>
    public sealed record ParsedLine(Line? Value, string? Problem);

    /// <summary>Streams the objects of a JSONL file with their string fields; throws <see cref="DataFormatException"/> on bad lines.</summary>
    public static IEnumerable<Line> ReadObjects(string path)
    {
        foreach (var (number, parsed) in ParseAll(path))
            yield return parsed.Value ?? throw new DataFormatException(path, number, parsed.Problem!);
    }

    /// <summary>Every non-blank line of a JSONL file, parsed or with its problem; never throws on bad content (validators use this).</summary>
    public static IEnumerable<(long Number, ParsedLine Parsed)> ParseAll(string path)
    {
        foreach (var (number, text) in TextFiles.ReadLines(path))
            if (!string.IsNullOrWhiteSpace(text)) yield return (number, ParseLine(path, number, text));
    }

    /// <summary>Parses one JSONL line: a JSON object with a non-empty string <c>_id</c>; string and number fields are kept as text.</summary>
    public static ParsedLine ParseLine(string path, long number, string text)
    {
        Dictionary<string, string> fields;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return new ParsedLine(null, $"expected a JSON object, found {doc.RootElement.ValueKind}");
            fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String) fields[p.Name] = p.Value.GetString()!;
                else if (p.Value.ValueKind == JsonValueKind.Number) fields[p.Name] = p.Value.GetRawText();
            }
        }
        catch (JsonException e)
        {
            return new ParsedLine(null, $"malformed JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')})");
        }
        if (!fields.TryGetValue("_id", out var id) || id.Length == 0)
            return new ParsedLine(null, "missing \"_id\" (every line needs a non-empty string \"_id\")");
        // The reader replaces invalid UTF-8 with U+FFFD; inside an id that silently makes a different id.
        var invalidUtf8 = text.Contains('\uFFFD');
        if (invalidUtf8 && id.Contains('\uFFFD'))
            return new ParsedLine(null, $"the \"_id\" {JsonSerializer.Serialize(id)} holds U+FFFD: invalid UTF-8 in the file (or a replacement character); ids must be valid UTF-8");
        return new ParsedLine(new Line(path, number, id, fields) { HasInvalidUtf8 = invalidUtf8 }, null);
    }
}
