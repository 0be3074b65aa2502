using System.IO.Compression;
using System.Text;

namespace HardNegatives.Tests.Data;

/// <summary>A throw-away BEIR folder under the system temp dir, written line by line so tests control every byte.</summary>
sealed class TempDataset : IDisposable
{
    public TempDataset()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hn-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "qrels"));
    }

    public string Directory { get; }
    public string CorpusPath => Path.Combine(Directory, "corpus.jsonl");
    public string QueriesPath => Path.Combine(Directory, "queries.jsonl");
    public string QrelsPath(string split) => Path.Combine(Directory, "qrels", split + ".tsv");

    public TempDataset Corpus(params string[] lines) { Write(CorpusPath, lines, "\n"); return this; }
    public TempDataset Queries(params string[] lines) { Write(QueriesPath, lines, "\n"); return this; }
    public TempDataset Qrels(string split, string newline, params string[] lines) { Write(QrelsPath(split), lines, newline); return this; }

    /// <summary>Replaces corpus.jsonl by corpus.jsonl.gz with the same lines.</summary>
    public TempDataset GzipCorpus()
    {
        var bytes = File.ReadAllBytes(CorpusPath);
        using (var gz = new GZipStream(File.Create(CorpusPath + ".gz"), CompressionLevel.Fastest)) gz.Write(bytes);
        File.Delete(CorpusPath);
        return this;
    }

    /// <summary>Three documents, three queries, a clean test split: a valid starting point that tests then break.</summary>
    public static TempDataset Valid() => new TempDataset()
        .Corpus("""{"_id": "d1", "title": "Alpha", "text": "first document"}""",
                """{"_id": "d2", "title": "", "text": "second document"}""",
                """{"_id": "d3", "title": "Gamma", "text": "third"}""")
        .Queries("""{"_id": "q1", "text": "what is alpha"}""",
                 """{"_id": "q2", "text": "second?"}""",
                 """{"_id": "q3", "text": "unjudged"}""")
        .Qrels("test", "\n", "query-id\tcorpus-id\tscore", "q1\td1\t1", "q1\td3\t0", "q2\td2\t2");

    static void Write(string path, string[] lines, string newline) =>
        File.WriteAllText(path, string.Concat(lines.Select(l => l + newline)), new UTF8Encoding(false));

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
