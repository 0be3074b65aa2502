namespace HardNegatives.Data;

/// <summary>A corpus document (BEIR <c>corpus.jsonl</c>: <c>_id</c>, <c>title</c>, <c>text</c>).</summary>
public sealed record Document(string Id, string Title, string Text)
{
    /// <summary>Title and text as one string, as BEIR and Pyserini's flat indexes join them.</summary>
    public string FullText => Title.Length == 0 ? Text : Text.Length == 0 ? Title : $"{Title} {Text}";
}

/// <summary>A query (BEIR <c>queries.jsonl</c>: <c>_id</c>, <c>text</c>).</summary>
public sealed record Query(string Id, string Text);

/// <summary>One relevance judgment. Grade 0 rows are kept: they count for nDCG's ideal ranking but are not relevant.</summary>
public sealed record Qrel(string QueryId, string DocumentId, int Grade);

/// <summary>A training query with all of its known positive documents.</summary>
public sealed record TrainingPair(string QueryId, string QueryText, IReadOnlyList<Document> Positives);
