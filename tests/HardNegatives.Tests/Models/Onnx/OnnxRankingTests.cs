using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Models;
using HardNegatives.Retrieval;
using HardNegatives.Retrieval.Bm25;
using HardNegatives.Tests.Data;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>
/// Zero-shot ranking with all-MiniLM-L6-v2 on a real SciFact test slice: the same search over embeddings from our encoder and
/// from ONNX Runtime gives the same nDCG@10 to 3 decimals. The slice (30 test queries, their judged abstracts, each query's
/// BM25 top 5 and 100 other abstracts) keeps the test to a few hundred encodings.
/// </summary>
public class OnnxRankingTests
{
    [Fact]
    public async Task OurEmbeddingsAndOnnxRuntimesRankSciFactTheSame()
    {
        var full = DatasetLocator.Open("scifact");
        var judged = full.LoadQrels("test").Select(q => q.QueryId).Distinct().Take(30).ToHashSet();
        var texts = full.LoadQueries();
        using var index = await Bm25Index.OpenOrBuildAsync(full, new Bm25IndexOptions());
        using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(TopK: 5));
        var bm25 = searcher.SearchAll(judged.Select(id => new Query(id, texts[id].Text))).SelectMany(r => r.Hits.Select(h => h.DocumentId)).ToList();
        using var data = SciFactSubset.Create("test", queries: 30, extraDocuments: 100, bm25);
        var ds = new BeirDataset(data.Directory, "scifact-slice");
        var queries = ds.QueriesOf("test");
        var corpus = ds.StreamCorpus().ToList();
        Assert.InRange(corpus.Count, 150, 1000);

        using var encoder = SentenceEncoder.Load(PretrainedMiniLm.Folder, CPU);
        using var ort = new OnnxRuntimeEncoder(PretrainedMiniLm.Onnx);
        var queryTexts = queries.Select(q => q.Text).ToList();
        var docTexts = corpus.Select(d => d.FullText).ToList();
        var ours = Run(Embed(encoder, queryTexts), Embed(encoder, docTexts));
        var theirs = Run(Embed(ort, encoder, queryTexts), Embed(ort, encoder, docTexts));

        var judgments = Judgments.Load(ds.QrelsPath("test"));
        var ndcg = MeasureRegistry.Resolve(["ndcg_cut.10"]);
        double a = TrecEvaluator.Evaluate(judgments, ours, ndcg)["ndcg_cut_10"];
        double b = TrecEvaluator.Evaluate(judgments, theirs, ndcg)["ndcg_cut_10"];
        Console.WriteLine($"SciFact slice ({queries.Count} queries, {corpus.Count} docs) nDCG@10: ours {a:F4}, ONNX Runtime {b:F4}");
        Assert.True(Math.Abs(a - b) < 5e-4, $"nDCG@10 ours {a:F4} vs ONNX Runtime {b:F4}");
        Assert.True(a > 0.3, $"nDCG@10 {a:F4}: a pretrained encoder should rank the judged abstracts well above chance");

        IReadOnlyList<RunEntry> Run(float[][] q, float[][] d) => ExactDenseSearch.Search(
            new EmbeddingMatrix([.. queries.Select(x => x.Id)], [.. q.SelectMany(v => v)], 384),
            new EmbeddingMatrix([.. corpus.Select(x => x.Id)], [.. d.SelectMany(v => v)], 384),
            new ExactDenseSearchOptions { TopK = 100 });
    }

    static float[][] Embed(SentenceEncoder encoder, List<string> texts) => encoder.EncodeToArrays(texts, batchSize: 32);

    /// <summary>ONNX Runtime embeddings of the same token ids (our tokenizer), in length-sorted batches of 16.</summary>
    static float[][] Embed(OnnxRuntimeEncoder ort, SentenceEncoder encoder, List<string> texts)
    {
        var result = new float[texts.Count][];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        foreach (var chunk in order.Chunk(16))
        {
            var batch = encoder.Tokenizer.EncodeBatch([.. chunk.Select(i => texts[i])], encoder.MaxSeqLength);
            var pooled = ort.MeanPooledNormalized(batch);
            for (int j = 0; j < chunk.Length; j++) result[chunk[j]] = pooled[j];
        }
        return result;
    }
}
