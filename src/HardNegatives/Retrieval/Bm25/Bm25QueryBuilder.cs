using Lucene.Net.Index;
using Lucene.Net.Search;

namespace HardNegatives.Retrieval.Bm25;

/// <summary>
/// Anserini's bag-of-words query: the query text goes through the document analyzer and becomes a disjunction of term
/// queries, never through Lucene's query parser, so <c>AND</c>, <c>*</c>, <c>:</c>, quotes or brackets are plain text.
/// A term that occurs n times gets boost n (the same score as Anserini's one clause per occurrence, since BM25 in
/// Lucene 4.8 has no coord factor and sums clause scores). With several fields (multifield) each field gets the same
/// bag of words with weight 1 and the per-field scores add up, as Anserini's <c>--fields title=1.0 contents=1.0</c>.
/// </summary>
public static class Bm25QueryBuilder
{
    /// <summary>Builds the query; null when analysis leaves no terms (empty or all stopwords): such a query matches nothing.</summary>
    /// <param name="reader">
    /// When given and the query has more distinct terms than one Lucene query may hold (<see cref="BooleanQuery.MaxClauseCount"/>),
    /// terms that occur in no document are left out: they add nothing to any BM25 score, so the ranking is the same.
    /// </param>
    /// <exception cref="Bm25QueryTooLongException">Even the terms that occur in the index are too many for one query.</exception>
    public static Query? Build(Bm25Analyzer analyzer, string queryText, IReadOnlyList<string> fields, IndexReader? reader = null)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in analyzer.Tokenize(queryText ?? "")) counts[t] = counts.GetValueOrDefault(t) + 1;
        if (counts.Count > BooleanQuery.MaxClauseCount && reader is not null)
            foreach (var term in counts.Keys.ToList())
                if (fields.All(f => reader.DocFreq(new Term(f, term)) == 0)) counts.Remove(term);
        if (counts.Count > BooleanQuery.MaxClauseCount) throw new Bm25QueryTooLongException(counts.Count, BooleanQuery.MaxClauseCount);
        if (counts.Count == 0) return null;
        var perField = fields.Select(field =>
        {
            var q = new BooleanQuery(disableCoord: true);
            foreach (var (term, n) in counts) q.Add(new TermQuery(new Term(field, term)) { Boost = n }, Occur.SHOULD);
            return q;
        }).ToList();
        if (perField.Count == 1) return perField[0];
        var all = new BooleanQuery(disableCoord: true);
        foreach (var q in perField) all.Add(q, Occur.SHOULD);
        return all;
    }
}

/// <summary>A query with more distinct (indexed) terms than one BM25 query can hold; the message says what to do.</summary>
public sealed class Bm25QueryTooLongException(int terms, int limit)
    : ArgumentException($"the query has {terms:N0} distinct terms that occur in the corpus, more than the {limit:N0} one BM25 query can hold; shorten it (e.g. to its first {limit:N0} words)")
{
    public int Terms { get; } = terms;
}
