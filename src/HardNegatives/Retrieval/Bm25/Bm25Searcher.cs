using HardNegatives.Data;
using Query = HardNegatives.Data.Query;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace HardNegatives.Retrieval.Bm25;

/// <summary>
/// BM25 search over a <see cref="Bm25Index"/>: bag-of-words queries (<see cref="Bm25QueryBuilder"/>), Lucene's
/// <see cref="BM25Similarity"/> with the given k1 and b, many queries in parallel (IndexSearcher is thread-safe).
/// </summary>
/// <remarks>
/// Ties: Lucene's own collector keeps equal scores in internal document order, which depends on indexing threads and
/// merges; like Anserini (<c>BREAK_SCORE_TIES_BY_DOCID</c>) we sort by score descending, then document id ascending
/// (ordinal on UTF-8 bytes), so a run is the same whatever the segment layout. Lucene.Net 4.8 encodes 1/√length of a
/// document in one byte (SmallFloat, as Lucene 4–6), where Lucene 7+ (Anserini today) encodes the length itself more
/// finely; scores therefore differ slightly from Pyserini's (see data-cards/scifact-bm25-results.md for the effect).
/// </remarks>
public sealed class Bm25Searcher : IDisposable
{
    static readonly Sort ScoreThenId = new(SortField.FIELD_SCORE, new SortField(Bm25Index.IdField, SortFieldType.STRING));

    readonly Bm25Index _index;
    readonly IndexSearcher _searcher;
    readonly ThreadLocal<Bm25Analyzer> _analyzers = new(() => new Bm25Analyzer(), trackAllValues: true);

    public Bm25Searcher(Bm25Index index, Bm25SearchOptions? options = null)
    {
        Options = options ?? new Bm25SearchOptions();
        if (Options.TopK < 1) throw new ArgumentException($"top-k must be at least 1, got {Options.TopK}");
        if (Options.K1 < 0 || Options.B is < 0 or > 1) throw new ArgumentException($"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={Options.K1}, b={Options.B}");
        _index = index;
        _searcher = new IndexSearcher(index.Reader) { Similarity = new BM25Similarity((float)Options.K1, (float)Options.B) };
        BooleanQuery.MaxClauseCount = Math.Max(BooleanQuery.MaxClauseCount, 65_536); // long queries (ArguAna) have many terms
    }

    public Bm25SearchOptions Options { get; }

    /// <summary>The top <paramref name="topK"/> (default <see cref="Bm25SearchOptions.TopK"/>) hits of one query.</summary>
    public Bm25Ranking Search(Query query, int? topK = null)
    {
        int k = topK ?? Options.TopK;
        Lucene.Net.Search.Query? lucene;
        try { lucene = Bm25QueryBuilder.Build(_analyzers.Value!, query.Text, _index.SearchFields, _index.Reader); }
        catch (Bm25QueryTooLongException e) { throw new ArgumentException($"query '{query.Id}': {e.Message}", e); }
        if (lucene is null) return new Bm25Ranking(query.Id, []);
        // One extra hit so that dropping a self-match still leaves k.
        int n = Math.Min(Options.RemoveSelfMatches ? k + 1 : k, Math.Max(1, _index.DocumentCount));
        var top = _searcher.Search(lucene, null, n, ScoreThenId, doDocScores: true, doMaxScore: false);
        var hits = new List<Bm25Hit>(Math.Min(k, top.ScoreDocs.Length));
        var ids = _index.Ids;
        foreach (var sd in top.ScoreDocs)
        {
            var id = ids[sd.Doc];
            if (Options.RemoveSelfMatches && id == query.Id) continue;
            if (hits.Count == k) break;
            hits.Add(new Bm25Hit(query.Id, id, sd.Score));
        }
        return new Bm25Ranking(query.Id, hits);
    }

    /// <summary>
    /// Searches <paramref name="queries"/> on <see cref="Bm25SearchOptions.Threads"/> threads, yielding rankings in input
    /// order. Queries are taken in bounded batches, so memory does not grow with the number of queries.
    /// </summary>
    public IEnumerable<Bm25Ranking> SearchAll(IEnumerable<Query> queries, IProgress<Bm25Progress>? progress = null,
        int? total = null, CancellationToken cancellationToken = default)
    {
        int batchSize = 64 * Options.EffectiveThreads, done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.EffectiveThreads, CancellationToken = cancellationToken };
        foreach (var batch in queries.Chunk(batchSize))
        {
            var results = new Bm25Ranking[batch.Length];
            Parallel.For(0, batch.Length, parallel, i => results[i] = Search(batch[i]));
            foreach (var r in results) yield return r;
            done += batch.Length;
            progress?.Report(new Bm25Progress("search", done, total));
        }
    }

    /// <summary>
    /// BM25 scores of given documents for a query (0 for a document that matches no query term, as BM25 defines it);
    /// used for the positives' scores in mining, which need not be among the retrieved candidates. Unknown ids are left out.
    /// </summary>
    public IReadOnlyDictionary<string, double> ScoreDocuments(string queryText, IReadOnlyCollection<string> documentIds)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var ids = new BooleanQuery();
        foreach (var id in documentIds) ids.Add(new TermQuery(new Term(Bm25Index.IdField, id)), Occur.SHOULD);
        var present = _searcher.Search(ids, Math.Max(1, documentIds.Count));
        foreach (var sd in present.ScoreDocs) scores[_index.Ids[sd.Doc]] = 0;
        var lucene = Bm25QueryBuilder.Build(_analyzers.Value!, queryText, _index.SearchFields, _index.Reader);
        if (lucene is null || scores.Count == 0) return scores;
        var top = _searcher.Search(lucene, new QueryWrapperFilter(ids), scores.Count);
        foreach (var sd in top.ScoreDocs) scores[_index.Ids[sd.Doc]] = sd.Score;
        return scores;
    }

    /// <summary>Stored documents by id (title and text), for writing passage texts; unknown ids are left out.</summary>
    public IReadOnlyDictionary<string, Document> LoadDocuments(IEnumerable<string> documentIds)
    {
        var result = new Dictionary<string, Document>(StringComparer.Ordinal);
        foreach (var id in documentIds.Distinct(StringComparer.Ordinal))
        {
            var top = _searcher.Search(new TermQuery(new Term(Bm25Index.IdField, id)), 1);
            if (top.TotalHits > 0) result[id] = Bm25Index.Load(_searcher, top.ScoreDocs[0].Doc);
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var a in _analyzers.Values) a.Dispose();
        _analyzers.Dispose();
    }
}
