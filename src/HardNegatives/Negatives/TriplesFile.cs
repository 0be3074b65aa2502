using System.Text.Json;
using System.Text.Json.Serialization;
using HardNegatives.Data;

namespace HardNegatives.Negatives;

/// <summary>
/// Reads and writes the shared triples format as JSONL, one <see cref="Triple"/> per line:
/// <code>{"query_id":"q1","query":"…","positive_id":"d7","positive":"…","positive_score":12.1,
///  "negatives":[{"id":"d9","text":"…","score":10.2,"rank":11}],"source":"bm25","options":{"range":"10:100"}}</code>
/// Files may be gzip-compressed (<c>.jsonl.gz</c>).
/// </summary>
public static class TriplesFile
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Serialises one row (no line break).</summary>
    public static string ToJsonLine(Triple triple) => JsonSerializer.Serialize(triple, Json);

    /// <summary>Streams the rows of a triples file; bad lines raise <see cref="DataFormatException"/> with file and line.</summary>
    public static IEnumerable<Triple> Read(string path)
    {
        foreach (var (number, line) in TextFiles.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            Triple? t;
            try { t = JsonSerializer.Deserialize<Triple>(line, Json); }
            catch (JsonException e) { throw new DataFormatException(path, number, $"malformed triples row ({e.Message.Split(" Path:")[0]})"); }
            if (t is null || string.IsNullOrEmpty(t.QueryId) || t.Query is null || t.Positive is null || t.Negatives is null)
                throw new DataFormatException(path, number, "a triples row needs query_id, query, positive and negatives");
            yield return t;
        }
    }

    /// <summary>Writes all rows atomically (the file appears complete or not at all).</summary>
    public static Task WriteAsync(string path, IEnumerable<Triple> triples, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            foreach (var t in triples)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteLineAsync(ToJsonLine(t));
            }
        }, cancellationToken);
}
