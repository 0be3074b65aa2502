using System.Text.Json;
using HardNegatives.Data;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace HardNegatives.Negatives;

/// <summary>
/// Exports triples in the layout sentence-transformers trains on (its <c>mine_hard_negatives(output_format="n-tuple")</c>
/// layout): columns <c>anchor, positive, negative_1 … negative_n</c>, texts only. Rows with fewer than n negatives are
/// left out (a fixed-width table cannot hold them; sentence-transformers drops them too) and counted in the result.
/// JSONL when the path ends in <c>.jsonl</c>, Parquet when it ends in <c>.parquet</c>; load either with
/// <c>datasets.load_dataset("json"|"parquet", data_files=...)</c>.
/// </summary>
public static class SentenceTransformersExport
{
    /// <summary>Rows written and rows left out because they had fewer than <c>negatives</c> negatives.</summary>
    public sealed record Result(long Rows, long Dropped, int Negatives);

    /// <summary>Column names for <paramref name="negatives"/> negatives.</summary>
    public static IReadOnlyList<string> Columns(int negatives) =>
        ["anchor", "positive", .. Enumerable.Range(1, negatives).Select(i => $"negative_{i}")];

    /// <summary>Writes <paramref name="triples"/> (streamed) with exactly <paramref name="negatives"/> negative columns, atomically.</summary>
    public static async Task<Result> WriteAsync(string path, IEnumerable<Triple> triples, int negatives, CancellationToken cancellationToken = default)
    {
        if (negatives < 1) throw new ArgumentException($"need at least one negative column, got {negatives}");
        bool parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        if (!parquet && !path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{path}: the sentence-transformers export is written as .jsonl or .parquet");
        var columns = Columns(negatives);
        long rows = 0, dropped = 0;
        IEnumerable<string[]> Complete()
        {
            foreach (var t in triples)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (t.Negatives.Count < negatives) { dropped++; continue; }
                rows++;
                yield return [t.Query, t.Positive, .. t.Negatives.Take(negatives).Select(n => n.Text)];
            }
        }
        if (parquet) await Data.AtomicFile.WriteAsync(path, stream => WriteParquetAsync(stream, columns, Complete(), cancellationToken), cancellationToken);
        else await AtomicFile.WriteAsync(path, async stream =>
        {
            {
                await using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
                foreach (var values in Complete())
                {
                    var row = new Dictionary<string, string>(columns.Count);
                    for (int i = 0; i < columns.Count; i++) row[columns[i]] = values[i];
                    await writer.WriteLineAsync(JsonSerializer.Serialize(row));
                }
            }
        }, cancellationToken);
        return new Result(rows, dropped, negatives);
    }

    static async Task WriteParquetAsync(Stream stream, IReadOnlyList<string> columns, IEnumerable<string[]> rows, CancellationToken cancellationToken)
    {
        var schema = new ParquetSchema(columns.Select(c => (Field)new DataField<string>(c, false)).ToArray());
        bool first = true;
        foreach (var chunk in rows.Chunk(TriplesParquet.RowGroupSize).DefaultIfEmpty([]))
        {
            var dicts = chunk.Select(values =>
            {
                IDictionary<string, object?> d = new Dictionary<string, object?>(columns.Count);
                for (int i = 0; i < columns.Count; i++) d[columns[i]] = values[i];
                return d;
            }).ToList();
            await ParquetSerializer.SerializeUntypedAsync(dicts, schema, stream, new ParquetOptions { Append = !first }, cancellationToken: cancellationToken);
            first = false;
        }
    }
}
