namespace HardNegatives.Retrieval.Bm25;

/// <summary>How documents are laid out in the index.</summary>
public enum Bm25Fields
{
    /// <summary>Title and text joined by a space in one field <c>contents</c> (Pyserini's BEIR "flat" indexes).</summary>
    Flat,
    /// <summary>Title and text in separate fields, searched with equal weights (Pyserini's BEIR "multifield" indexes).</summary>
    Multifield,
}

/// <summary>Options for building a BM25 index.</summary>
/// <param name="Fields">Document layout; default <see cref="Bm25Fields.Flat"/>.</param>
/// <param name="Threads">Threads adding documents to the one IndexWriter (analysis runs on them); default all cores.</param>
/// <param name="RamBufferMB">IndexWriter RAM buffer before a segment is flushed; default 256 MB.</param>
/// <param name="ForceMerge">Merge to one segment at the end (like Anserini's <c>-optimize</c>): slower build, faster search; default true.</param>
public sealed record Bm25IndexOptions(
    Bm25Fields Fields = Bm25Fields.Flat,
    int Threads = 0,
    double RamBufferMB = 256,
    bool ForceMerge = true)
{
    internal int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}

/// <summary>Options for BM25 search.</summary>
/// <param name="K1">Term-frequency saturation; default 0.9 (Anserini/Pyserini).</param>
/// <param name="B">Length normalisation; default 0.4 (Anserini/Pyserini).</param>
/// <param name="TopK">Hits per query; default 1000.</param>
/// <param name="RemoveSelfMatches">Drop a hit whose document id equals the query id (Pyserini's <c>--remove-query</c>, BEIR's
/// evaluation); default true. The query still retrieves <see cref="TopK"/> other documents.</param>
/// <param name="Threads">Queries searched in parallel; default all cores.</param>
public sealed record Bm25SearchOptions(
    double K1 = 0.9,
    double B = 0.4,
    int TopK = 1000,
    bool RemoveSelfMatches = true,
    int Threads = 0)
{
    internal int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}

/// <summary>One retrieved document.</summary>
public sealed record Bm25Hit(string QueryId, string DocumentId, double Score);

/// <summary>The ranked hits of one query, best first (score descending, ties by document id ascending).</summary>
public sealed record Bm25Ranking(string QueryId, IReadOnlyList<Bm25Hit> Hits)
{
    /// <summary>The hits as TREC run entries (rank from 1), for <see cref="TrecRunFile"/> and the evaluator.</summary>
    public IEnumerable<RunEntry> ToRunEntries(string tag = "bm25") =>
        Hits.Select((h, i) => new RunEntry(h.QueryId, h.DocumentId, i + 1, h.Score, tag));
}

/// <summary>Progress of a long BM25 step: <paramref name="Done"/> of <paramref name="Total"/> (null when unknown).</summary>
public sealed record Bm25Progress(string Stage, long Done, long? Total);
