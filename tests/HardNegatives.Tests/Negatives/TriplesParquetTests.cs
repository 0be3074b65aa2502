using System.Text.Json;
using HardNegatives.Data;
using HardNegatives.Negatives;
using Parquet;
using Parquet.Serialization;

namespace HardNegatives.Tests.Negatives;

public sealed class TriplesParquetTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "hn-triples-" + Guid.NewGuid().ToString("N"));

    public TriplesParquetTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static Triple Row(int i, int negatives) => new(
        $"q{i}", $"query {i} with ünïcode", $"p{i}", $"positive {i}",
        Enumerable.Range(0, negatives).Select(j => new Negative($"n{i}-{j}", $"negative {j} of {i}", j == 1 ? null : 10.5 - j, j == 2 ? null : j + 1)).ToList(),
        i % 2 == 0 ? "bm25" : "llm:qwen", i % 3 == 0 ? null : new Dictionary<string, string> { ["range"] = "10:100", ["seed"] = $"{i}" },
        i % 4 == 0 ? null : 20.25 + i);

    [Fact]
    public async Task RoundTrip_KeepsEveryField_AcrossRowGroups()
    {
        var rows = Enumerable.Range(0, TriplesParquet.RowGroupSize + 17).Select(i => Row(i, i % 5)).ToList();
        var path = Path.Combine(_dir, "t.parquet");
        Assert.Equal(rows.Count, await TriplesParquet.WriteAsync(path, rows));
        var back = await TriplesParquet.ReadAsync(path).ToListAsync();
        Assert.Equal(rows.Count, back.Count);
        foreach (var (a, b) in rows.Zip(back))
        {
            Assert.Equal(a with { Negatives = [], Options = null }, b with { Negatives = [], Options = null });
            Assert.Equal(a.Negatives, b.Negatives);
            Assert.Equal(a.Options?.OrderBy(kv => kv.Key), b.Options?.OrderBy(kv => kv.Key));
        }
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(2, reader.RowGroupCount);
        Assert.Equal(["query_id", "query", "positive_id", "positive", "positive_score", "negative_ids", "negatives", "negative_scores", "negative_ranks", "source", "options"],
            reader.Schema.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task EmptyInput_WritesAReadableEmptyFile()
    {
        var path = Path.Combine(_dir, "empty.parquet");
        Assert.Equal(0, await TriplesParquet.WriteAsync(path, Array.Empty<Triple>()));
        Assert.Empty(await TriplesParquet.ReadAsync(path).ToListAsync());
    }

    [Fact]
    public async Task NotParquet_IsADataFormatError()
    {
        var path = Path.Combine(_dir, "bad.parquet");
        await File.WriteAllTextAsync(path, "this is not parquet at all");
        var e = await Assert.ThrowsAsync<DataFormatException>(async () => await TriplesParquet.ReadAsync(path).ToListAsync());
        Assert.Contains("not a Parquet file", e.Message);
    }

    [Fact]
    public async Task SentenceTransformersJsonl_HasAnchorPositiveAndNumberedNegatives_DroppingShortRows()
    {
        var rows = new[] { Row(1, 3), Row(2, 2), Row(3, 4) };
        var path = Path.Combine(_dir, "st.jsonl");
        var result = await SentenceTransformersExport.WriteAsync(path, rows, 3);
        Assert.Equal((2L, 1L), (result.Rows, result.Dropped));
        var lines = File.ReadAllLines(path).Select(l => JsonSerializer.Deserialize<Dictionary<string, string>>(l)!).ToList();
        Assert.Equal(["anchor", "positive", "negative_1", "negative_2", "negative_3"], lines[0].Keys);
        Assert.Equal("query 1 with ünïcode", lines[0]["anchor"]);
        Assert.Equal("negative 2 of 1", lines[0]["negative_3"]);
        Assert.Equal("negative 2 of 3", lines[1]["negative_3"]); // a longer row is cut to the first n (best) negatives
    }

    [Fact]
    public async Task SentenceTransformersParquet_HasTheSameColumns()
    {
        var rows = Enumerable.Range(0, TriplesParquet.RowGroupSize + 25).Select(i => Row(i, 2)).ToList();
        var path = Path.Combine(_dir, "st.parquet");
        var result = await SentenceTransformersExport.WriteAsync(path, rows, 2);
        Assert.Equal(TriplesParquet.RowGroupSize + 25, result.Rows);
        await using var stream = File.OpenRead(path);
        var table = await ParquetSerializer.DeserializeUntypedAsync(stream);
        Assert.Equal(["anchor", "positive", "negative_1", "negative_2"], table.Schema.Fields.Select(f => f.Name));
        Assert.Equal(TriplesParquet.RowGroupSize + 25, table.Data.Count);
        Assert.Equal("positive 10010", table.Data[10010]["positive"]); // second row group
        Assert.Equal("positive 7", table.Data[7]["positive"]);
        Assert.Equal("negative 1 of 7", table.Data[7]["negative_2"]);
    }

    [Fact]
    public async Task SentenceTransformersExport_RejectsOtherExtensions()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SentenceTransformersExport.WriteAsync(Path.Combine(_dir, "x.csv"), [Row(1, 1)], 1));
    }
}
