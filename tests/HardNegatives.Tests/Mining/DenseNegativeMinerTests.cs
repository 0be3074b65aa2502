using HardNegatives.Data;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Negatives;
using HardNegatives.Tests.Data;
using HardNegatives.Tests.Models;
using HardNegatives.Tests.Models.Onnx;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Mining;

/// <summary>
/// Dense mining with the pretrained all-MiniLM-L6-v2 on a real SciFact slice (20 training queries, their positives and 300
/// other abstracts). Checked against the selector's rules and against cosine scores recomputed independently; the
/// cross-encoder rescoring path (<c>hn mine dense --rescore</c>) against a selection recomputed in the test from
/// brute-force cosines and one-pair-at-a-time cross-encoder scores.
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
    [Fact]
    public void Rescore_NegativesAreTheTopCrossEncoderScoredDenseCandidates_KeepingDenseRanks()
    {
        // Small on purpose (8 queries, ~90 abstracts, 128 tokens): the model runs twice, in hn and here.
        using var data = SciFactSubset.Create("train", queries: 8, extraDocuments: 80);
        var ceFolder = Path.Combine(data.Directory, "ce");
        using (var random = CrossEncoderTests.RandomCrossEncoder(seed: 11)) random.Save(ceFolder);
        var output = Path.Combine(data.Directory, "dense-rescored.jsonl");
        const int candidates = 20, rangeMin = 1, rangeMax = 12, negatives = 3;
        var run = HnCli.Run("mine", "dense", "--dataset", data.Directory, "--model", PretrainedMiniLm.Folder, "--rescore", ceFolder,
            "--candidates", $"{candidates}", "--range", $"{rangeMin}:{rangeMax}", "--num-negatives", $"{negatives}", "--max-length", "128", "--device", "cpu", "--output", output);
        Assert.True(run.ExitCode == 0, run.StdErr + run.StdOut);
        var rows = TriplesFile.Read(output).ToList();

        var ds = new BeirDataset(data.Directory, "scifact-slice");
        var corpus = ds.StreamCorpus().ToList();
        var queries = ds.LoadQueries();
        var qrels = ds.LoadQrels("train").GroupBy(q => q.QueryId).ToDictionary(g => g.Key, g => g.Select(q => q.DocumentId).ToHashSet());
        Assert.Equal(qrels.Sum(q => q.Value.Count), rows.Count);

        // Independent dense ranking: the model's own embeddings, cosine in double precision, every document sorted.
        using var loaded = SentenceEncoder.Load(PretrainedMiniLm.Folder, CPU);
        var encoder = new SentenceEncoder(loaded.Transformer, loaded.Tokenizer, loaded.PoolingOptions, 128, loaded.Prompts);
        var docVectors = Rows(encoder.EncodeDocuments([.. corpus.Select(d => d.FullText)]));
        using var ce = CrossEncoder.Load(ceFolder, CPU);
        double CeScore(string query, string id) => ce.Score([query], [corpus.First(d => d.Id == id).FullText], batchSize: 1)[0];
        foreach (var byQuery in rows.GroupBy(r => r.QueryId))
        {
            var query = queries[byQuery.Key].Text;
            var q = Rows(encoder.EncodeQueries([query]))[0];
            var dense = corpus.Select((d, i) => (d.Id, Cosine: Cosine(q, docVectors[i]))).OrderByDescending(x => x.Cosine).ToList();
            var rescored = dense.Take(candidates).Where(x => !qrels[byQuery.Key].Contains(x.Id))
                .Select(x => (x.Id, Score: CeScore(query, x.Id))).OrderByDescending(x => x.Score).ToList();
            var expected = rescored.Skip(rangeMin).Take(Math.Min(rangeMax, rescored.Count) - rangeMin).Take(negatives).ToList();
            foreach (var row in byQuery)
            {
                Assert.Equal(expected.Count, row.Negatives.Count);
                Assert.Equal(ceFolder, row.Options!["rescore"]);
                Assert.Equal(CeScore(query, row.PositiveId), row.PositiveScore!.Value, 1e-4);
                for (int i = 0; i < expected.Count; i++)
                {
                    var n = row.Negatives[i];
                    // Same document, or one whose cross-encoder score ties it (batching changes the last float bits).
                    Assert.True(n.Id == expected[i].Id || Math.Abs(CeScore(query, n.Id) - expected[i].Score) < 1e-4,
                        $"{byQuery.Key}: negative {i} is {n.Id}, expected {expected[i].Id} (cross-encoder {expected[i].Score})");
                    Assert.Equal(CeScore(query, n.Id), n.Score!.Value, 1e-4);
                    // The rank is the dense one (1-based among all documents), not the cross-encoder's.
                    var denseRank = dense.FindIndex(x => x.Id == n.Id) + 1;
                    Assert.True(n.Rank == denseRank || Math.Abs(dense[n.Rank!.Value - 1].Cosine - dense[denseRank - 1].Cosine) < 1e-5,
                        $"{byQuery.Key}: {n.Id} has rank {n.Rank}, dense rank {denseRank}");
                }
            }
        }
    }

    static float[][] Rows(Tensor t)
    {
        using (t)
        {
            var flat = t.contiguous().data<float>().ToArray();
            int dim = (int)t.shape[1];
            return [.. Enumerable.Range(0, (int)t.shape[0]).Select(i => flat.AsSpan(i * dim, dim).ToArray())];
        }
    }

    static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}
