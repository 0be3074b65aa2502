namespace HardNegatives.Data;

/// <summary>
/// A dataset folder in BEIR's layout: <c>corpus.jsonl[.gz]</c>, <c>queries.jsonl[.gz]</c>, <c>qrels/&lt;split&gt;.tsv</c>.
/// The corpus is streamed; queries and qrels are small and loaded on demand.
/// </summary>
public sealed class BeirDataset
{
    public BeirDataset(string directory, string? name = null)
    {
        Directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Directory)) throw new DirectoryNotFoundException($"dataset folder not found: {Directory}");
        Name = name ?? Path.GetFileName(Directory.TrimEnd(Path.DirectorySeparatorChar));
        CorpusPath = TextFiles.FindPlainOrGzip(Path.Combine(Directory, "corpus.jsonl"))
            ?? throw new FileNotFoundException($"{Directory}: no corpus.jsonl or corpus.jsonl.gz");
        QueriesPath = TextFiles.FindPlainOrGzip(Path.Combine(Directory, "queries.jsonl"))
            ?? throw new FileNotFoundException($"{Directory}: no queries.jsonl or queries.jsonl.gz");
    }

    public string Name { get; }
    public string Directory { get; }
    public string CorpusPath { get; }
    public string QueriesPath { get; }

    /// <summary>The splits that have a qrels file, e.g. <c>train</c>, <c>dev</c>, <c>test</c>.</summary>
    public IReadOnlyList<string> Splits =>
        System.IO.Directory.Exists(Path.Combine(Directory, "qrels"))
            ? System.IO.Directory.GetFiles(Path.Combine(Directory, "qrels"), "*.tsv").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    public string QrelsPath(string split) =>
        Path.Combine(Directory, "qrels", split + ".tsv") is var p && File.Exists(p)
            ? p
            : throw new FileNotFoundException($"{Name}: no qrels for split '{split}' (have: {string.Join(", ", Splits)})", p);

    /// <summary>Streams the corpus; memory does not grow with corpus size.</summary>
    public IEnumerable<Document> StreamCorpus() => JsonlReader.ReadCorpus(CorpusPath);

    /// <summary>The whole corpus by id; only for small corpora (tests, the bundled sets, notebooks).</summary>
    public IReadOnlyDictionary<string, Document> LoadCorpus()
    {
        var byId = new Dictionary<string, Document>(StringComparer.Ordinal);
        foreach (var d in StreamCorpus()) byId.TryAdd(d.Id, d);
        return byId;
    }

    public IReadOnlyDictionary<string, Query> LoadQueries()
    {
        var byId = new Dictionary<string, Query>(StringComparer.Ordinal);
        foreach (var q in JsonlReader.ReadQueries(QueriesPath)) byId.TryAdd(q.Id, q);
        return byId;
    }

    public IReadOnlyList<Qrel> LoadQrels(string split) => QrelsReader.Read(QrelsPath(split)).ToList();

    /// <summary>The queries that have judgments in <paramref name="split"/>, in qrels order.</summary>
    public IReadOnlyList<Query> QueriesOf(string split)
    {
        var queries = LoadQueries();
        return LoadQrels(split).Select(q => q.QueryId).Distinct().Where(queries.ContainsKey).Select(id => queries[id]).ToList();
    }

    public override string ToString() => $"{Name} ({Directory})";
}
