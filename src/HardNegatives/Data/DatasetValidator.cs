namespace HardNegatives.Data;

/// <summary>
/// Checks a BEIR folder line by line and reports every problem with file and line instead of stopping at the first:
/// malformed JSON, missing <c>_id</c>, duplicate ids, empty texts, unreadable qrels rows (errors); qrels rows naming a
/// query or document that does not exist, duplicate judgments (warnings); query ids that are also corpus ids (info).
/// </summary>
/// <remarks>Streams every file once. Memory: the corpus and query id sets with line numbers (for MS MARCO's 8.8M passages an estimated 1 GB; not measured).</remarks>
public static class DatasetValidator
{
    /// <summary>Validates the dataset a user named (bundled, cached or a folder; see <see cref="DatasetLocator"/>).</summary>
    public static ValidationReport Validate(string nameOrDirectory, ValidationOptions? options = null) =>
        Validate(DatasetLocator.Open(nameOrDirectory), options);

    public static ValidationReport Validate(BeirDataset dataset, ValidationOptions? options = null)
    {
        var issues = new IssueCollector((options ?? ValidationOptions.Default).MaxIssuesPerKind);

        var documentIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (number, parsed) in JsonlReader.ParseAll(dataset.CorpusPath))
        {
            if (parsed.Value is not { } line) { issues.Add(IssueSeverity.Error, dataset.CorpusPath, number, parsed.Problem!, KindOf(parsed.Problem!)); continue; }
            if (!documentIds.TryAdd(line.Id, number))
                issues.Add(IssueSeverity.Error, dataset.CorpusPath, number, $"duplicate _id \"{line.Id}\" (first at line {documentIds[line.Id]}); ids must be unique", "duplicate");
            if (string.IsNullOrWhiteSpace(line.Get("title")) && string.IsNullOrWhiteSpace(line.Get("text")))
                issues.Add(IssueSeverity.Error, dataset.CorpusPath, number, $"document \"{line.Id}\" has an empty \"title\" and \"text\"", "empty");
            else if (line.HasInvalidUtf8)
                issues.Add(IssueSeverity.Warning, dataset.CorpusPath, number, $"document \"{line.Id}\" holds bytes that are not UTF-8 (read as U+FFFD); re-encode the file as UTF-8", "invalid-utf8");
        }
        if (documentIds.Count == 0) issues.Add(IssueSeverity.Error, dataset.CorpusPath, 0, "the corpus has no documents", "no-rows");

        var queryIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (number, parsed) in JsonlReader.ParseAll(dataset.QueriesPath))
        {
            if (parsed.Value is not { } line) { issues.Add(IssueSeverity.Error, dataset.QueriesPath, number, parsed.Problem!, KindOf(parsed.Problem!)); continue; }
            if (!queryIds.TryAdd(line.Id, number))
                issues.Add(IssueSeverity.Error, dataset.QueriesPath, number, $"duplicate _id \"{line.Id}\" (first at line {queryIds[line.Id]}); ids must be unique", "duplicate");
            if (string.IsNullOrWhiteSpace(line.Get("text")))
                issues.Add(IssueSeverity.Error, dataset.QueriesPath, number, $"query \"{line.Id}\" has an empty \"text\"", "empty");
        }
        if (queryIds.Count == 0) issues.Add(IssueSeverity.Error, dataset.QueriesPath, 0, "there are no queries", "no-rows");

        int selfIds = queryIds.Keys.Count(documentIds.ContainsKey);
        if (selfIds > 0)
            issues.Add(IssueSeverity.Info, dataset.QueriesPath, 0,
                $"{selfIds:N0} of {queryIds.Count:N0} query ids are also corpus ids (the Quora/ArguAna convention: a query is itself a document); " +
                "evaluate with identical query/document ids ignored, as BEIR does", "self-ids");

        var splits = dataset.Splits;
        if (splits.Count == 0)
            issues.Add(IssueSeverity.Warning, Path.Combine(dataset.Directory, "qrels"), 0, "no qrels/<split>.tsv files: nothing to evaluate or train on", "no-qrels");
        var checks = splits.Select(split => CheckQrels(split, dataset.QrelsPath(split), queryIds, documentIds, issues)).ToList();

        return new ValidationReport(dataset.Name, dataset.Directory, documentIds.Count, queryIds.Count, checks, issues.Issues,
            issues.Total(IssueSeverity.Error), issues.Total(IssueSeverity.Warning));
    }

    static QrelsCheck CheckQrels(string split, string path, Dictionary<string, long> queryIds, Dictionary<string, long> documentIds, IssueCollector issues)
    {
        int rows = 0, missingQueries = 0, missingDocuments = 0;
        bool header = false;
        var judged = new Dictionary<(string, string), long>();
        var queries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, parsed) in QrelsReader.ParseAll(path))
        {
            if (parsed.IsHeader) { header = true; continue; }
            if (parsed.Value is not { } q) { issues.Add(IssueSeverity.Error, path, number, parsed.Problem!, "format"); continue; }
            rows++;
            queries.Add(q.QueryId);
            if (!queryIds.ContainsKey(q.QueryId))
            {
                missingQueries++;
                issues.Add(IssueSeverity.Warning, path, number, $"query \"{q.QueryId}\" is not in queries.jsonl; {MissingQueryEffect}", "missing-query");
            }
            if (!documentIds.ContainsKey(q.DocumentId))
            {
                missingDocuments++;
                issues.Add(IssueSeverity.Warning, path, number, $"document \"{q.DocumentId}\" is not in the corpus; {(q.Grade > 0 ? MissingRelevantEffect : "judged not relevant, so it changes no score")}", "missing-document");
            }
            if (!judged.TryAdd((q.QueryId, q.DocumentId), number))
                issues.Add(IssueSeverity.Warning, path, number, $"query \"{q.QueryId}\" judges document \"{q.DocumentId}\" again (first at line {judged[(q.QueryId, q.DocumentId)]}); the last grade wins", "duplicate-judgment");
        }
        if (rows == 0) issues.Add(IssueSeverity.Error, path, 0, "no judgments in this qrels file", "no-rows");
        if (missingQueries > 0)
            issues.AddSummary(IssueSeverity.Warning, path, $"{missingQueries:N0} of {rows:N0} rows name a query missing from queries.jsonl; {MissingQueryEffect}");
        if (missingDocuments > 0)
            issues.AddSummary(IssueSeverity.Warning, path, $"{missingDocuments:N0} of {rows:N0} rows name a document missing from the corpus; where relevant, {MissingRelevantEffect}");
        return new QrelsCheck(split, path, rows, queries.Count, missingQueries, missingDocuments, header);
    }

    /// <summary>What evaluation really does with a judged query that has no text: no run can hold it.</summary>
    public const string MissingQueryEffect =
        "no run can answer it, so it scores 0 when averaging over all judged queries (trec_eval -c, as hn reproduce and hn eval -c do) " +
        "and is left out of the average otherwise";

    /// <summary>What evaluation really does with a relevant document that is not in the corpus: it still counts as relevant.</summary>
    public const string MissingRelevantEffect =
        "it can never be retrieved yet still counts as relevant, so recall and nDCG of its query can never reach 1";

    static string KindOf(string problem) => problem.StartsWith("missing", StringComparison.Ordinal) ? "missing-id" : "json";

    /// <summary>Keeps the first few findings of each kind per file, so a broken multi-million-line file gives a readable report.</summary>
    sealed class IssueCollector(int maxPerKind)
    {
        readonly Dictionary<(string Path, string Kind), int> _seen = new();
        readonly Dictionary<(string Path, string Kind), IssueSeverity> _severity = new();
        readonly List<ValidationIssue> _issues = [];
        readonly List<ValidationIssue> _summaries = [];

        readonly Dictionary<IssueSeverity, int> _totals = new();

        public int Total(IssueSeverity severity) => _totals.GetValueOrDefault(severity);

        public IReadOnlyList<ValidationIssue> Issues
        {
            get
            {
                var overflow = _seen.Where(kv => kv.Value > maxPerKind)
                    .Select(kv => new ValidationIssue(_severity[kv.Key], kv.Key.Path, 0, $"... and {kv.Value - maxPerKind:N0} more {kv.Key.Kind} findings in this file (not listed)"));
                return [.. _issues, .. overflow, .. _summaries];
            }
        }

        public void Add(IssueSeverity severity, string path, long line, string message, string kind)
        {
            var key = (path, kind);
            int n = _seen[key] = _seen.GetValueOrDefault(key) + 1;
            _severity[key] = severity;
            _totals[severity] = Total(severity) + 1;
            if (n <= maxPerKind) _issues.Add(new ValidationIssue(severity, path, line, message));
        }

        public void AddSummary(IssueSeverity severity, string path, string message) => _summaries.Add(new ValidationIssue(severity, path, 0, message));
    }
}
