namespace HardNegatives.Data;

/// <summary>Options for <see cref="TrainingPairs"/>.</summary>
/// <param name="MinGrade">Judgments with at least this grade are positives (default 1: every grade &gt; 0, as BEIR and sentence-transformers do).</param>
public sealed record TrainingPairOptions(int MinGrade = 1)
{
    public static TrainingPairOptions Default { get; } = new();
}

/// <summary>Training pairs and what could not become one.</summary>
/// <param name="Pairs">One pair per query with at least one positive, in order of first appearance in the qrels.</param>
/// <param name="SkippedMissingQueries">Queries with positives whose text is missing from the queries file.</param>
/// <param name="SkippedMissingPositives">Positive judgments whose document is missing from the corpus.</param>
public sealed record TrainingPairSet(IReadOnlyList<TrainingPair> Pairs, int SkippedMissingQueries, int SkippedMissingPositives)
{
    /// <summary>Positive (query, document) judgments across all pairs.</summary>
    public int PositiveCount => Pairs.Sum(p => p.Positives.Count);
}

/// <summary>
/// Builds <c>(query, positives)</c> training pairs from relevance judgments: from any BEIR split (e.g. SciFact <c>train</c>)
/// or from MS MARCO's original TSV files. The corpus is streamed once and only the positives are kept.
/// </summary>
public static class TrainingPairs
{
    /// <summary>Pairs from a BEIR dataset's <paramref name="split"/> qrels.</summary>
    public static TrainingPairSet FromBeir(BeirDataset dataset, string split, TrainingPairOptions? options = null) =>
        Assemble(QrelsReader.Read(dataset.QrelsPath(split)), JsonlReader.ReadQueries(dataset.QueriesPath), dataset.StreamCorpus(), options);

    /// <summary>Pairs from MS MARCO files: <c>queries.train.tsv</c>, <c>collection.tsv</c>, <c>qrels.train.tsv</c> (each may be .gz).</summary>
    public static TrainingPairSet FromMsMarco(string queriesTsv, string collectionTsv, string qrelsTsv, TrainingPairOptions? options = null) =>
        Assemble(QrelsReader.Read(qrelsTsv), MsMarcoTsvReader.ReadQueries(queriesTsv), MsMarcoTsvReader.ReadCollection(collectionTsv), options);

    /// <summary>Joins judgments with query and document texts; only judged queries and positive documents are kept in memory.</summary>
    public static TrainingPairSet Assemble(IEnumerable<Qrel> qrels, IEnumerable<Query> queries, IEnumerable<Document> corpus, TrainingPairOptions? options = null)
    {
        int minGrade = (options ?? TrainingPairOptions.Default).MinGrade;
        var positivesByQuery = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in qrels)
        {
            if (q.Grade < minGrade) continue;
            if (!positivesByQuery.TryGetValue(q.QueryId, out var docs)) { positivesByQuery[q.QueryId] = docs = []; order.Add(q.QueryId); }
            if (!docs.Contains(q.DocumentId)) docs.Add(q.DocumentId);
            wanted.Add(q.DocumentId);
        }

        var queryText = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var q in queries)
            if (positivesByQuery.ContainsKey(q.Id)) queryText.TryAdd(q.Id, q.Text);
        var documents = new Dictionary<string, Document>(StringComparer.Ordinal);
        foreach (var d in corpus)
            if (wanted.Contains(d.Id)) documents.TryAdd(d.Id, d);

        var pairs = new List<TrainingPair>(order.Count);
        int missingQueries = 0, missingPositives = 0;
        foreach (var qid in order)
        {
            var ids = positivesByQuery[qid];
            var found = ids.Where(documents.ContainsKey).Select(id => documents[id]).ToList();
            missingPositives += ids.Count - found.Count;
            if (!queryText.TryGetValue(qid, out var text)) { missingQueries++; continue; }
            if (found.Count > 0) pairs.Add(new TrainingPair(qid, text, found));
        }
        return new TrainingPairSet(pairs, missingQueries, missingPositives);
    }
}
