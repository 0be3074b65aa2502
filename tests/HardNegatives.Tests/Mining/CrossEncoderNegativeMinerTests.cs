using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Negatives;
using HardNegatives.Retrieval.Bm25;
using HardNegatives.Tests.Models;

namespace HardNegatives.Tests.Mining;

/// <summary>
/// Mechanics of cross-encoder mining on real data: the bundled SciFact corpus (5,183 documents, BM25 index built once) and
/// its first 40 training queries, reranked by a small random cross-encoder saved and reloaded in the Hugging Face format.
/// Real-data test, bounded to a few seconds (40 queries × 30 candidates, 128 tokens).
/// </summary>
public sealed class CrossEncoderNegativeMinerTests : IClassFixture<CrossEncoderNegativeMinerTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), "hn-ce-mine-" + Guid.NewGuid().ToString("N"));
        public BeirDataset Dataset { get; } = DatasetLocator.Open("scifact");
        public Bm25Index Index { get; }
        public CrossEncoder CrossEncoder { get; }
        public IReadOnlyList<MiningQuery> Queries { get; }
        public int MaxPositives { get; }

        public Fixture()
        {
            Index = Bm25Index.OpenOrBuildAsync(Dataset, new Bm25IndexOptions(Bm25Fields.Flat), indexRoot: Root).GetAwaiter().GetResult();
            using (var random = CrossEncoderTests.RandomCrossEncoder(seed: 9)) random.Save(Path.Combine(Root, "ce"));
            CrossEncoder = CrossEncoder.Load(Path.Combine(Root, "ce"), TorchSharp.torch.CPU, maxLength: 128);
            var all = Bm25NegativeMiner.TrainingQueries(Dataset, "train");
            MaxPositives = all.Max(q => q.ExcludedIds.Count);
            Queries = all.Take(40).ToList();
        }

        public void Dispose()
        {
            CrossEncoder.Dispose();
            Index.Dispose();
            Directory.Delete(Root, recursive: true);
        }
    }

    readonly Fixture _f;
    public CrossEncoderNegativeMinerTests(Fixture fixture) => _f = fixture;

    List<Triple> Mine(HardNegativeMiningOptions options, MiningSummary summary) =>
        new CrossEncoderNegativeMiner(_f.Index, _f.CrossEncoder, options, new CrossEncoderMiningOptions(Candidates: 30, QueriesPerStep: 16), modelName: "random-test")
            .Mine(_f.Queries, _f.MaxPositives, summary).ToList();

    [Fact]
    public void NegativesAreTheTopCrossEncoderScoredBm25CandidatesThatAreNotPositives()
    {
        var options = new HardNegativeMiningOptions(NumNegatives: 3);
        var summary = new MiningSummary(options, CrossEncoderNegativeMiner.Source);
        var rows = Mine(options, summary);
        Assert.Equal(40, summary.Queries);
        Assert.Equal(_f.Queries.Sum(q => q.PositiveIds.Count), rows.Count);
        Assert.All(rows, r => Assert.Equal("ce", r.Source));
        Assert.Equal("random-test", rows[0].Options!["model"]);

        // Recompute a few queries independently: BM25 top 30, score each candidate alone, drop positives, best 3.
        using var searcher = new Bm25Searcher(_f.Index, new Bm25SearchOptions(TopK: 30));
        foreach (var q in _f.Queries.Take(5))
        {
            var hits = searcher.Search(new Query(q.QueryId, q.Text)).Hits;
            var docs = searcher.LoadDocuments(hits.Select(h => h.DocumentId));
            var scored = hits.Where(h => !q.ExcludedIds.Contains(h.DocumentId))
                .Select((h, _) => (h.DocumentId, Score: _f.CrossEncoder.Score([q.Text], [docs[h.DocumentId].FullText])[0],
                    Rank: hits.ToList().FindIndex(x => x.DocumentId == h.DocumentId) + 1))
                .OrderByDescending(s => s.Score).Take(3).ToList();
            var row = rows.First(r => r.QueryId == q.QueryId);
            Assert.Equal(scored.Select(s => s.DocumentId), row.Negatives.Select(n => n.Id));
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(scored[i].Score, row.Negatives[i].Score!.Value, 1e-4);
                Assert.Equal(scored[i].Rank, row.Negatives[i].Rank);
            }
            var positiveScore = _f.CrossEncoder.Score([q.Text], [row.Positive])[0];
            Assert.Equal(positiveScore, row.PositiveScore!.Value, 1e-4);
        }
        Assert.All(rows, r => Assert.DoesNotContain(r.Negatives, n => _f.Queries.First(q => q.QueryId == r.QueryId).ExcludedIds.Contains(n.Id)));
    }

    [Fact]
    public void RelativeMarginKeepsNegativesBelowNinetyFivePercentOfThePositiveScore()
    {
        var options = new HardNegativeMiningOptions(NumNegatives: 2, RelativeMargin: 0.05);
        var summary = new MiningSummary(options, CrossEncoderNegativeMiner.Source);
        var rows = Mine(options, summary);
        Assert.NotEmpty(rows);
        foreach (var group in rows.GroupBy(r => r.QueryId))
        {
            double p = group.Min(r => r.PositiveScore!.Value); // the query's lowest positive score
            Assert.All(group.SelectMany(r => r.Negatives), n => Assert.True(n.Score <= p - Math.Abs(p) * 0.05 + 1e-9, $"{group.Key}: {n.Score} vs {p}"));
        }
        Assert.True(summary.Skipped.RelativeMargin > 0, "a random cross-encoder should score some candidates above the margin");
        Assert.Contains("relative_margin", summary.Format());
    }

    [Fact]
    public async Task MineToFileWritesTheSharedTriplesFormat()
    {
        var path = Path.Combine(_f.Root, "ce.jsonl");
        var options = new HardNegativeMiningOptions(NumNegatives: 1);
        var miner = new CrossEncoderNegativeMiner(_f.Index, _f.CrossEncoder, options, new CrossEncoderMiningOptions(Candidates: 5), modelName: "random-test");
        var summary = new MiningSummary(options, CrossEncoderNegativeMiner.Source);
        await TriplesFile.WriteAsync(path, miner.Mine(_f.Queries.Take(8), _f.MaxPositives, summary));
        var back = TriplesFile.Read(path).ToList();
        Assert.Equal(_f.Queries.Take(8).Sum(q => q.PositiveIds.Count), back.Count);
        Assert.All(back, t => Assert.Single(t.Negatives));
    }
}
