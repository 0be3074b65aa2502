using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Negatives;
using HardNegatives.Retrieval.Bm25;
using HardNegatives.Tests.Retrieval.Bm25;

namespace HardNegatives.Tests.Mining;

/// <summary>
/// BM25 mining on the real SciFact training split (809 queries, 920 positives). Every check is made against data read
/// independently of the miner: qrels from the file, BM25 rankings from the searcher.
/// </summary>
[Collection(SciFactIndexes.Collection)]
public sealed class Bm25NegativeMinerTests : IDisposable
{
    readonly SciFactIndexes _indexes;
    readonly string _dir = Path.Combine(Path.GetTempPath(), "hn-mine-" + Guid.NewGuid().ToString("N"));
    readonly Dictionary<string, Dictionary<string, int>> _qrels;

    public Bm25NegativeMinerTests(SciFactIndexes indexes)
    {
        _indexes = indexes;
        Directory.CreateDirectory(_dir);
        _qrels = QrelsReader.ReadGrouped(indexes.Dataset.QrelsPath("train"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Mines the whole training split, or its first <paramref name="queries"/> queries (to keep the suite fast).</summary>
    async Task<(List<Triple> Rows, MiningSummary Summary, string Path)> MineAsync(HardNegativeMiningOptions options, string name, int? queries = null)
    {
        var path = Path.Combine(_dir, name);
        var miner = new Bm25NegativeMiner(_indexes.Flat, options);
        MiningSummary summary;
        if (queries is null) summary = await miner.MineToFileAsync(_indexes.Dataset, "train", path);
        else
        {
            var all = Bm25NegativeMiner.TrainingQueries(_indexes.Dataset, "train");
            summary = new MiningSummary(options, "bm25");
            var rowsOut = miner.Mine(all.Take(queries.Value), all.Max(q => q.ExcludedIds.Count), summary);
            if (path.EndsWith(".parquet")) await TriplesParquet.WriteAsync(path, rowsOut);
            else await TriplesFile.WriteAsync(path, rowsOut);
        }
        var rows = path.EndsWith(".parquet") ? await TriplesParquet.ReadAsync(path).ToListAsync() : TriplesFile.Read(path).ToList();
        return (rows, summary, path);
    }

    void AssertNoPositiveIsANegative(IEnumerable<Triple> rows)
    {
        foreach (var row in rows)
        {
            var positives = _qrels[row.QueryId].Where(q => q.Value > 0).Select(q => q.Key).ToHashSet();
            Assert.Contains(row.PositiveId, positives);
            Assert.All(row.Negatives, n => Assert.DoesNotContain(n.Id, positives));
            Assert.Equal(row.Negatives.Count, row.Negatives.Select(n => n.Id).Distinct().Count());
        }
    }

    [Fact]
    public async Task Top_NeverReturnsAPositive_AndTakesExactlyTheWindowOfTheBm25Ranking()
    {
        var options = new HardNegativeMiningOptions(NumNegatives: 5, RangeMin: 10, RangeMax: 100);
        var (rows, summary, _) = await MineAsync(options, "top.jsonl");
        Assert.Equal(809, summary.Queries);
        // One row per (query, positive) of the qrels file (919 judgments); every query has at least 15 candidates.
        Assert.Equal(_qrels.Values.Sum(d => d.Count(g => g.Value > 0)) - summary.PositivesMissing, rows.Count);
        AssertNoPositiveIsANegative(rows);
        Assert.All(rows, r => Assert.Equal("bm25", r.Source));
        Assert.Equal("10:100", rows[0].Options!["range"]);

        // Independently: BM25 top 100 + max positives, positives removed, ranks [10, 15).
        int maxPositives = _qrels.Values.Max(d => d.Count(g => g.Value > 0));
        using var searcher = new Bm25Searcher(_indexes.Flat, new Bm25SearchOptions(TopK: 100 + maxPositives));
        var queries = _indexes.Dataset.LoadQueries();
        foreach (var row in rows.Take(120))
        {
            var positives = _qrels[row.QueryId].Keys.ToHashSet();
            var expected = searcher.Search(queries[row.QueryId]).Hits.Where(h => !positives.Contains(h.DocumentId)).Skip(10).Take(5).ToList();
            Assert.Equal(expected.Select(h => h.DocumentId), row.Negatives.Select(n => n.Id));
            Assert.Equal(expected.Select(h => h.Score), row.Negatives.Select(n => n.Score!.Value));
            Assert.All(row.Negatives, n => Assert.InRange(n.Rank!.Value, 11, 100 + maxPositives));
        }
    }

    [Fact]
    public async Task Random_SameSeedGivesByteIdenticalFile_DifferentSeedDoesNot_AndStaysInTheWindow()
    {
        var options = new HardNegativeMiningOptions(NumNegatives: 4, RangeMin: 20, RangeMax: 60, Sampling: NegativeSampling.Random, Seed: 11);
        var (rows, _, first) = await MineAsync(options, "r1.jsonl");
        var (_, _, second) = await MineAsync(options, "r2.jsonl");
        var (other, _, _) = await MineAsync(options with { Seed = 12 }, "r3.jsonl", queries: 150);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        AssertNoPositiveIsANegative(rows);
        Assert.Equal("11", rows[0].Options!["seed"]);

        int maxPositives = _qrels.Values.Max(d => d.Count(g => g.Value > 0));
        using var searcher = new Bm25Searcher(_indexes.Flat, new Bm25SearchOptions(TopK: 60 + maxPositives));
        var queries = _indexes.Dataset.LoadQueries();
        int differing = 0;
        foreach (var (row, otherRow) in rows.Zip(other).Take(100))
        {
            var positives = _qrels[row.QueryId].Keys.ToHashSet();
            var window = searcher.Search(queries[row.QueryId]).Hits.Where(h => !positives.Contains(h.DocumentId)).Skip(20).Take(40).Select(h => h.DocumentId).ToHashSet();
            Assert.Equal(4, row.Negatives.Count);
            Assert.All(row.Negatives, n => Assert.Contains(n.Id, window));
            Assert.Equal(row.Negatives.OrderByDescending(n => n.Score).Select(n => n.Id), row.Negatives.Select(n => n.Id));
            if (!row.Negatives.Select(n => n.Id).SequenceEqual(otherRow.Negatives.Select(n => n.Id))) differing++;
        }
        Assert.True(differing > 90, $"only {differing} of 100 queries changed with the seed");
    }

    [Fact]
    public async Task ScoreFilters_KeepOnlyNegativesTheyAllow_AndShortQueriesAreReportedNotPadded()
    {
        // Relative margin against the query's lowest positive score (positive_score of its rows).
        var (rows, summary, _) = await MineAsync(new HardNegativeMiningOptions(NumNegatives: 5, RangeMax: 100, RelativeMargin: 0.1), "rel.jsonl", queries: 300);
        AssertNoPositiveIsANegative(rows);
        foreach (var group in rows.GroupBy(r => r.QueryId))
        {
            double p = group.Min(r => r.PositiveScore!.Value);
            Assert.All(group.SelectMany(r => r.Negatives), n => Assert.True(n.Score <= p - Math.Abs(p) * 0.1 + 1e-9, $"{group.Key}: {n.Score} vs positive {p}"));
        }
        Assert.True(summary.Skipped.RelativeMargin > 0);
        Assert.True(summary.QueriesShort > 0);
        Assert.All(rows, r => Assert.InRange(r.Negatives.Count, 1, 5));
        // A short query's rows carry exactly what was found; a query with none has no rows.
        var byQuery = rows.GroupBy(r => r.QueryId).ToDictionary(g => g.Key, g => g.First().Negatives.Count);
        Assert.All(summary.ShortQueries, s => Assert.Equal(s.Found, byQuery.GetValueOrDefault(s.QueryId)));
        Assert.Equal(summary.QueriesWithoutNegatives, summary.ShortQueries.Count(s => s.Found == 0));

        var (maxRows, maxSummary, _) = await MineAsync(new HardNegativeMiningOptions(NumNegatives: 3, RangeMax: 50, MaxScore: 8), "max.jsonl", queries: 300);
        Assert.All(maxRows.SelectMany(r => r.Negatives), n => Assert.True(n.Score <= 8));
        Assert.True(maxSummary.Skipped.MaxScore > 0);

        var (absRows, absSummary, _) = await MineAsync(new HardNegativeMiningOptions(NumNegatives: 3, RangeMax: 50, AbsoluteMargin: 2), "abs.jsonl", queries: 300);
        foreach (var group in absRows.GroupBy(r => r.QueryId))
        {
            double p = group.Min(r => r.PositiveScore!.Value);
            Assert.All(group.SelectMany(r => r.Negatives), n => Assert.True(n.Score + 2 <= p + 1e-9));
        }
        Assert.True(absSummary.Skipped.AbsoluteMargin > 0);
        Assert.Contains("Skipped", absSummary.Format());
    }

    [Fact]
    public async Task Parquet_And_Jsonl_HoldTheSameRows()
    {
        var options = new HardNegativeMiningOptions(NumNegatives: 2, RangeMin: 5, RangeMax: 30);
        var (jsonl, _, _) = await MineAsync(options, "same.jsonl", queries: 200);
        var (parquet, _, _) = await MineAsync(options, "same.parquet", queries: 200);
        Assert.Equal(jsonl.Count, parquet.Count);
        foreach (var (a, b) in jsonl.Zip(parquet))
        {
            Assert.Equal(a with { Negatives = [], Options = null }, b with { Negatives = [], Options = null });
            Assert.Equal(a.Negatives, b.Negatives);
            Assert.Equal(a.Options, b.Options);
        }
    }

    [Fact]
    public void Mine_Streams_RowsComeBeforeAllQueriesAreRead()
    {
        var real = Bm25NegativeMiner.TrainingQueries(_indexes.Dataset, "train");
        IEnumerable<MiningQuery> Endless() { for (int i = 0; ; i++) yield return real[i % real.Count] with { QueryId = $"{real[i % real.Count].QueryId}#{i}" }; }
        var miner = new Bm25NegativeMiner(_indexes.Flat, new HardNegativeMiningOptions(NumNegatives: 2, RangeMax: 10));
        var summary = new MiningSummary(miner.Options, "bm25");
        var first = miner.Mine(Endless(), maxPositives: 5, summary).Take(300).ToList();
        Assert.Equal(300, first.Count);
        Assert.InRange(summary.Queries, 256, 512); // one or two batches of 256, not the endless rest
    }

    [Fact]
    public void DuplicateQueryTexts_ShareTheirPositivesForExclusion()
    {
        var dir = Path.Combine(_dir, "dup");
        Directory.CreateDirectory(Path.Combine(dir, "qrels"));
        File.WriteAllText(Path.Combine(dir, "corpus.jsonl"), """
            {"_id":"d1","title":"","text":"apple pie"}
            {"_id":"d2","title":"","text":"apple tart"}
            {"_id":"d3","title":"","text":"apple cake"}
            {"_id":"d4","title":"","text":"banana"}
            """);
        File.WriteAllText(Path.Combine(dir, "queries.jsonl"), """
            {"_id":"qa","text":"apple"}
            {"_id":"qb","text":"apple"}
            """);
        File.WriteAllText(Path.Combine(dir, "qrels", "train.tsv"), "query-id\tcorpus-id\tscore\nqa\td1\t1\nqb\td2\t1\n");
        var queries = Bm25NegativeMiner.TrainingQueries(new BeirDataset(dir), "train");
        Assert.Equal(["d1", "d2"], queries[0].ExcludedIds.Order());
        Assert.Equal(["d1"], queries[0].PositiveIds);
        Assert.Equal(["d2"], queries[1].PositiveIds);
    }
}
