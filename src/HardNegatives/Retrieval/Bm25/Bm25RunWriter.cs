using System.Globalization;
using HardNegatives.Data;

namespace HardNegatives.Retrieval.Bm25;

/// <summary>
/// Writes BM25 rankings as a TREC run: <c>qid Q0 docid rank score tag</c>, rank from 1, score with 6 decimals (as
/// Pyserini writes them). Kept separate from the evaluation stage's run file type until the two are merged.
/// </summary>
public static class Bm25RunWriter
{
    /// <summary>One run line.</summary>
    public static string Line(Bm25Hit hit, int rank, string tag) =>
        string.Create(CultureInfo.InvariantCulture, $"{hit.QueryId} Q0 {hit.DocumentId} {rank} {hit.Score:F6} {tag}");

    /// <summary>Writes all rankings (streamed) atomically to <paramref name="path"/>; returns the number of lines.</summary>
    public static async Task<long> WriteAsync(string path, IEnumerable<Bm25Ranking> rankings, string tag = "bm25", CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Any(char.IsWhiteSpace)) throw new ArgumentException($"run tag must be one word, got '{tag}'");
        long lines = 0;
        await AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
            foreach (var ranking in rankings)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (int i = 0; i < ranking.Hits.Count; i++, lines++) await writer.WriteLineAsync(Line(ranking.Hits[i], i + 1, tag));
            }
        }, cancellationToken);
        return lines;
    }
}
