using HardNegatives.Data;
using HardNegatives.Models;

namespace HardNegatives.Retrieval;

/// <summary>Progress of dense retrieval: which part is being embedded and how far it is.</summary>
public sealed record DenseRetrievalProgress(string Part, long Done, long Total);

/// <summary>
/// Dense retrieval over a BEIR dataset with a bi-encoder: embed the split's queries, then stream the corpus in chunks
/// (embed a chunk, search it, keep the running top-k), so the corpus's embeddings never have to fit in memory at once.
/// </summary>
public static class DenseRetriever
{
    /// <param name="corpusChunk">Documents embedded and searched at a time; bounds memory to one chunk of embeddings.</param>
    public static IReadOnlyList<RunEntry> Search(SentenceEncoder encoder, BeirDataset dataset, string split, ExactDenseSearchOptions options,
        int batchSize = 64, int corpusChunk = 50_000, IProgress<DenseRetrievalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var queries = dataset.QueriesOf(split);
        var queryEmbeddings = Embed(encoder, queries.Select(q => q.Id).ToList(), encoder.Prompts.ApplyToQueries(queries.Select(q => q.Text).ToList()), batchSize,
            "queries", 0, queries.Count, progress, cancellationToken);
        return ExactDenseSearch.Search(queryEmbeddings, CorpusChunks(encoder, dataset, batchSize, corpusChunk, progress, cancellationToken),
            options, cancellationToken: cancellationToken);
    }

    static IEnumerable<EmbeddingMatrix> CorpusChunks(SentenceEncoder encoder, BeirDataset dataset, int batchSize, int corpusChunk,
        IProgress<DenseRetrievalProgress>? progress, CancellationToken cancellationToken)
    {
        long done = 0;
        foreach (var chunk in dataset.StreamCorpus().Chunk(corpusChunk))
        {
            yield return Embed(encoder, chunk.Select(d => d.Id).ToList(), encoder.Prompts.ApplyToDocuments(chunk.Select(d => d.FullText).ToList()), batchSize,
                "corpus", done, -1, progress, cancellationToken);
            done += chunk.Length;
        }
    }

    static EmbeddingMatrix Embed(SentenceEncoder encoder, IReadOnlyList<string> ids, IReadOnlyList<string> texts, int batchSize,
        string part, long offset, long total, IProgress<DenseRetrievalProgress>? progress, CancellationToken cancellationToken)
    {
        var batches = progress is null ? null : new Relay(p => progress.Report(new DenseRetrievalProgress(part, offset + p.Done, total)));
        using var embeddings = encoder.EncodeToTensor(texts, batchSize, batches, cancellationToken);
        return new EmbeddingMatrix(ids, embeddings.cpu().data<float>().ToArray(), encoder.Dimension);
    }

    sealed class Relay(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
