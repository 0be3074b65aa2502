namespace HardNegatives.Data;

/// <summary>How bad a validation finding is. Only <see cref="Error"/> makes a dataset invalid.</summary>
public enum IssueSeverity
{
    /// <summary>Worth knowing, not wrong (e.g. query ids that are also corpus ids, as in Quora and ArguAna).</summary>
    Info,
    /// <summary>Real data has it and tools cope (e.g. qrels naming a missing document, as BEIR ArguAna's 5 rows); evaluation still counts such rows, lowering scores (see the finding's text).</summary>
    Warning,
    /// <summary>The file is broken: readers would throw or silently lose data.</summary>
    Error,
}

/// <summary>One finding, located by file and 1-based line (0 when it concerns the whole file).</summary>
public sealed record ValidationIssue(IssueSeverity Severity, string Path, long Line, string Message)
{
    /// <summary>One line, e.g. <c>error: /data/corpus.jsonl:12: duplicate _id "7" (first at line 3)</c>.</summary>
    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()}: {Path}{(Line > 0 ? $":{Line}" : "")}: {Message}";
}

/// <summary>What the check of one qrels split found.</summary>
/// <param name="Rows">Judgment rows read (header excluded).</param>
/// <param name="Queries">Distinct query ids judged.</param>
/// <param name="MissingQueryRows">Rows whose query id is not in queries.jsonl.</param>
/// <param name="MissingDocumentRows">Rows whose document id is not in the corpus.</param>
/// <param name="HasHeader">Whether line 1 is a header row.</param>
public sealed record QrelsCheck(string Split, string Path, int Rows, int Queries, int MissingQueryRows, int MissingDocumentRows, bool HasHeader);

/// <summary>The result of <see cref="DatasetValidator"/>: counts and the findings, listed up to a cap per kind and file.</summary>
/// <param name="Issues">Findings in file order, then "... and N more" lines for capped kinds, then per-file summaries.</param>
/// <param name="Errors">All errors found, including those past the listing cap.</param>
/// <param name="Warnings">All warnings found, including those past the listing cap.</param>
public sealed record ValidationReport(
    string Dataset,
    string Directory,
    long Documents,
    int Queries,
    IReadOnlyList<QrelsCheck> Qrels,
    IReadOnlyList<ValidationIssue> Issues,
    int Errors,
    int Warnings)
{
    /// <summary>True when any error was found; warnings and infos do not make a dataset invalid.</summary>
    public bool HasErrors => Errors > 0;
}

/// <summary>Knobs for <see cref="DatasetValidator"/>.</summary>
/// <param name="MaxIssuesPerKind">Findings of one kind in one file listed individually (default 10); the rest are counted in one summary line.</param>
public sealed record ValidationOptions(int MaxIssuesPerKind = 10)
{
    public static ValidationOptions Default { get; } = new();
}
