using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Negatives;
using HardNegatives.Tests.Data;
using HardNegatives.Tests.Models.Onnx;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Mining;

/// <summary>
/// Dense mining with the pretrained all-MiniLM-L6-v2 on a real SciFact slice (20 training queries, their positives and 300
/// other abstracts). Checked against the selector's rules and against cosine scores recomputed independently.
/// </summary>
public sealed class DenseNegativeMinerTests
{
    [Fact]
    public async Task TopWindow_NeverAPositive_ScoresAreCosines_RanksAreDenseRanks()
    {
        using var data = SciFactSubset.Create("train", queries: 20, extraDocuments: 300);
        var ds = new BeirDataset(data.Directory, "scifact-slice");
        using var encoder = SentenceEncoder.Load(PretrainedMiniLm.Folder, CPU);
        var options = new HardNegativeMiningOptions(NumNegatives: 3, RangeMin: 2, RangeMax: 20);
        var miner = new DenseNegativeMiner(ds, encoder, options, new DenseMiningOptions(BatchSize: 32), modelName: "all-MiniLM-L6-v2");
        var path = Path.Combine(data.Directory, "dense.jsonl");
        var summary = await miner.MineToFileAsync("train", path);
        var rows = TriplesFile.Read(path).ToList();

        var qrels = ds.LoadQrels("train").Where(q => q.Grade > 0).GroupBy(q => q.QueryId).ToDictionary(g => g.Key, g => g.Select(q => q.DocumentId).ToHashSet());
        Assert.Equal(20, summary.Queries);
        Assert.Equal(qrels.Sum(q => q.Value.Count), rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(DenseNegativeMiner.Source, r.Source);
            Assert.Equal(3, r.Negatives.Count);
            Assert.All(r.Negatives, n => Assert.DoesNotContain(n.Id, qrels[r.QueryId]));
            Assert.Equal(r.Negatives.OrderByDescending(n => n.Score).Select(n => n.Id), r.Negatives.Select(n => n.Id));
            // Window [2, 20) of the ranking without positives: the first negative is the third non-positive, so its dense rank
            // is at least 3 and at most 3 + the query's positives.
            Assert.InRange(r.Negatives[0].Rank!.Value, 3, 3 + qrels[r.QueryId].Count);
        });

        // Scores are the cosine of query and document embeddings computed here on their own.
        var corpus = ds.LoadCorpus();
        var sample = rows.Take(5).ToList();
        using var q = encoder.EncodeQueries([.. sample.Select(r => r.Query)]);
        using var d = encoder.EncodeDocuments([.. sample.Select(r => corpus[r.Negatives[0].Id].FullText)]);
        using var p = encoder.EncodeDocuments([.. sample.Select(r => corpus[r.PositiveId].FullText)]);
        for (int i = 0; i < sample.Count; i++)
        {
            Assert.Equal(q[i].dot(d[i]).item<float>(), sample[i].Negatives[0].Score!.Value, 1e-4);
            Assert.Equal(q[i].dot(p[i]).item<float>(), sample[i].PositiveScore!.Value, 1e-4);
        }
        Assert.Contains("dense", summary.Format());
    }
}
