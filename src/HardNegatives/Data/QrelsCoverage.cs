namespace HardNegatives.Data;

/// <summary>
/// Judgments of one qrels split that evaluation cannot satisfy: judged queries with no text in queries.jsonl (no run can
/// answer them), and relevant judgments naming a document missing from the corpus (never retrievable, still relevant).
/// Experiments record these counts with every evaluation and print them under the table, since both lower the scores.
/// </summary>
/// <param name="JudgedQueries">Distinct query ids in the split.</param>
/// <param name="QueriesWithoutText">Judged query ids absent from queries.jsonl.</param>
/// <param name="RelevantJudgments">Rows with a grade above 0.</param>
/// <param name="RelevantMissingFromCorpus">Relevant rows whose document is not in the corpus.</param>
public sealed record QrelsCoverage(int JudgedQueries, int QueriesWithoutText, int RelevantJudgments, int RelevantMissingFromCorpus)
{
    /// <summary>Keys of the counts in an evaluation artifact's summary (artifact.json).</summary>
    public const string QueriesWithoutTextKey = "judged_queries_without_text";
    public const string RelevantMissingKey = "relevant_judgments_missing_from_corpus";

    /// <summary>Streams queries.jsonl and the corpus once each, holding only the split's ids in memory.</summary>
    public static QrelsCoverage Of(BeirDataset dataset, string split)
    {
        var qrels = QrelsReader.Read(dataset.QrelsPath(split)).ToList();
        var queries = qrels.Select(q => q.QueryId).ToHashSet(StringComparer.Ordinal);
        var relevant = qrels.Where(q => q.Grade > 0).ToList();
        var unseenQueries = new HashSet<string>(queries, StringComparer.Ordinal);
        foreach (var line in JsonlReader.ReadObjects(dataset.QueriesPath)) unseenQueries.Remove(line.Id);
        var unseenDocuments = relevant.Select(q => q.DocumentId).ToHashSet(StringComparer.Ordinal);
        foreach (var line in JsonlReader.ReadObjects(dataset.CorpusPath))
            if (unseenDocuments.Remove(line.Id) && unseenDocuments.Count == 0) break;
        return new QrelsCoverage(queries.Count, unseenQueries.Count, relevant.Count, relevant.Count(q => unseenDocuments.Contains(q.DocumentId)));
    }

    public IReadOnlyDictionary<string, string> ToSummary() => new Dictionary<string, string>
    {
        [QueriesWithoutTextKey] = $"{QueriesWithoutText}", [RelevantMissingKey] = $"{RelevantMissingFromCorpus}",
    };

    /// <summary>
    /// One sentence for a report on <paramref name="what"/> (e.g. <c>scifact/test</c>), with what the counts do to the scores
    /// when averaging over all judged queries (<paramref name="allJudged"/>, trec_eval -c) or over the run's queries.
    /// </summary>
    public static string Describe(string what, int queriesWithoutText, int relevantMissing, bool allJudged)
    {
        if (queriesWithoutText == 0 && relevantMissing == 0)
            return $"{what}: every judged query has text and every relevant document is in the corpus.";
        var parts = new List<string>();
        if (queriesWithoutText > 0)
            parts.Add($"{queriesWithoutText:N0} judged quer{(queriesWithoutText == 1 ? "y has" : "ies have")} no text in queries.jsonl: " +
                (allJudged ? "no run can answer them, so they score 0 in every row (averaging over all judged queries)" : "they are left out of every average (averaging over the run's queries)"));
        if (relevantMissing > 0)
            parts.Add($"{relevantMissing:N0} relevant judgment{(relevantMissing == 1 ? " names a document" : "s name documents")} missing from the corpus: " +
                DatasetValidator.MissingRelevantEffect);
        return $"{what}: {string.Join("; ", parts)} (hn data validate lists them).";
    }
}
