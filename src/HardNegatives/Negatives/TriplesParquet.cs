using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using HardNegatives.Data;
using Parquet;
using Parquet.Serialization;

namespace HardNegatives.Negatives;

/// <summary>
/// The shared triples format as Parquet: one row per <see cref="Triple"/>, the same fields as the JSONL form
/// (<see cref="TriplesFile"/>), with the negatives as parallel list columns:
/// <c>query_id, query, positive_id, positive, positive_score, negative_ids[], negatives[], negative_scores[],
/// negative_ranks[], source, options</c> (options as a JSON object string). A missing score is NaN, a missing rank 0.
/// Written in row groups as rows arrive, into a temporary file renamed at the end.
/// </summary>
public static class TriplesParquet
{
    /// <summary>Rows per row group (and per write); bounded memory while writing.</summary>
    public const int RowGroupSize = 10_000;

    /// <summary>The Parquet row layout (public for the serializer; use <see cref="Triple"/> in code).</summary>
    public sealed class Row
    {
        [JsonPropertyName("query_id")] public string QueryId { get; set; } = "";
        [JsonPropertyName("query")] public string Query { get; set; } = "";
        [JsonPropertyName("positive_id")] public string PositiveId { get; set; } = "";
        [JsonPropertyName("positive")] public string Positive { get; set; } = "";
        [JsonPropertyName("positive_score")] public double? PositiveScore { get; set; }
        [JsonPropertyName("negative_ids")] public List<string> NegativeIds { get; set; } = [];
        [JsonPropertyName("negatives")] public List<string> Negatives { get; set; } = [];
        [JsonPropertyName("negative_scores")] public List<double> NegativeScores { get; set; } = [];
        [JsonPropertyName("negative_ranks")] public List<int> NegativeRanks { get; set; } = [];
        [JsonPropertyName("source")] public string Source { get; set; } = "";
        [JsonPropertyName("options")] public string Options { get; set; } = "{}";
    }

    internal static Row ToRow(Triple t) => new()
    {
        QueryId = t.QueryId, Query = t.Query, PositiveId = t.PositiveId, Positive = t.Positive, PositiveScore = t.PositiveScore,
        NegativeIds = t.Negatives.Select(n => n.Id).ToList(),
        Negatives = t.Negatives.Select(n => n.Text).ToList(),
        NegativeScores = t.Negatives.Select(n => n.Score ?? double.NaN).ToList(),
        NegativeRanks = t.Negatives.Select(n => n.Rank ?? 0).ToList(),
        Source = t.Source,
        Options = JsonSerializer.Serialize(t.Options ?? new Dictionary<string, string>()),
    };

    internal static Triple FromRow(Row r, string path, long row)
    {
        int n = r.NegativeIds.Count;
        if (r.Negatives.Count != n || r.NegativeScores.Count != n || r.NegativeRanks.Count != n)
            throw new DataFormatException(path, row, "negative_ids, negatives, negative_scores and negative_ranks must have the same length");
        var negatives = Enumerable.Range(0, n).Select(i => new Negative(r.NegativeIds[i], r.Negatives[i],
            double.IsNaN(r.NegativeScores[i]) ? null : r.NegativeScores[i], r.NegativeRanks[i] == 0 ? null : r.NegativeRanks[i])).ToList();
        Dictionary<string, string>? options;
        try { options = JsonSerializer.Deserialize<Dictionary<string, string>>(r.Options); }
        catch (JsonException e) { throw new DataFormatException(path, row, $"options is not a JSON object of strings ({e.Message.Split(" Path:")[0]})"); }
        return new Triple(r.QueryId, r.Query, r.PositiveId, r.Positive, negatives, r.Source, options is { Count: > 0 } ? options : null, r.PositiveScore);
    }

    /// <summary>Writes the rows (streamed) atomically; returns the number of rows.</summary>
    public static async Task<long> WriteAsync(string path, IEnumerable<Triple> triples, CancellationToken cancellationToken = default) =>
        await WriteAsync(path, triples.ToAsyncEnumerable(), cancellationToken);

    /// <summary>Writes the rows as they arrive, one row group per <see cref="RowGroupSize"/> rows, atomically.</summary>
    public static async Task<long> WriteAsync(string path, IAsyncEnumerable<Triple> triples, CancellationToken cancellationToken = default)
    {
        long count = 0;
        await Data.AtomicFile.WriteAsync(path, async stream =>
        {
            bool first = true;
            var batch = new List<Row>(RowGroupSize);
            async Task Flush()
            {
                if (batch.Count == 0 && !first) return;
                await ParquetSerializer.SerializeAsync(batch, stream, new ParquetOptions { Append = !first }, cancellationToken: cancellationToken);
                first = false;
                batch.Clear();
            }
            await foreach (var t in triples.WithCancellation(cancellationToken))
            {
                batch.Add(ToRow(t));
                count++;
                if (batch.Count == RowGroupSize) await Flush();
            }
            await Flush();
        }, cancellationToken);
        return count;
    }

    /// <summary>Streams the rows of a triples Parquet file, one row group in memory at a time.</summary>
    public static async IAsyncEnumerable<Triple> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        int groups;
        try
        {
            await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken);
            groups = reader.RowGroupCount;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new DataFormatException(path, 0, $"not a Parquet file ({e.Message})");
        }
        long row = 0;
        for (int g = 0; g < groups; g++)
        {
            stream.Position = 0;
            var rows = await ParquetSerializer.DeserializeAsync<Row>(stream, rowGroupIndex: g, cancellationToken: cancellationToken);
            foreach (var r in rows.Data) yield return FromRow(r, path, ++row);
        }
    }
}
