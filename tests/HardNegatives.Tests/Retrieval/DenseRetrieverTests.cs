using HardNegatives.Data;
using HardNegatives.Retrieval;
using HardNegatives.Training;

namespace HardNegatives.Tests.Retrieval;

public class DenseRetrieverTests
{
    [Fact]
    public void StreamingTheCorpusInChunksGivesTheSameRunAsOneChunk()
    {
        var scifact = DatasetLocator.Open("scifact");
        using var model = BiEncoderModels.CreateOrLoad("tiny:layers=1,dim=32", maxLength: 32, TorchSharp.torch.CPU, seed: 5, vocabPath: null);
        var options = new ExactDenseSearchOptions { TopK = 20 };
        var reports = new List<DenseRetrievalProgress>();
        var chunked = DenseRetriever.Search(model.Encoder, scifact, "test", options, corpusChunk: 1_000, progress: new Sync(reports.Add));
        var whole = DenseRetriever.Search(model.Encoder, scifact, "test", options, corpusChunk: 100_000);

        Assert.Equal(300 * 20, chunked.Count);
        Assert.Equal(whole.Select(e => (e.QueryId, e.DocumentId, e.Rank)), chunked.Select(e => (e.QueryId, e.DocumentId, e.Rank)));
        for (int i = 0; i < whole.Count; i++) Assert.Equal(whole[i].Score, chunked[i].Score, 5);
        // Six corpus chunks (5,183 documents) after the queries, reported as they are embedded.
        Assert.Equal(5_000, reports.Where(r => r.Part == "corpus").Max(r => r.Done) / 1000 * 1000);
        Assert.Contains(reports, r => r.Part == "queries" && r.Done == 300 && r.Total == 300);
    }

    sealed class Sync(Action<DenseRetrievalProgress> report) : IProgress<DenseRetrievalProgress>
    {
        public void Report(DenseRetrievalProgress value) => report(value);
    }
}
