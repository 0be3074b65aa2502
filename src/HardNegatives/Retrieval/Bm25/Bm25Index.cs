using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HardNegatives.Data;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace HardNegatives.Retrieval.Bm25;

/// <summary>What an index folder records about itself (<c>bm25-index.json</c>).</summary>
public sealed record Bm25IndexInfo(string Fields, string Analyzer, int CodeVersion, long Documents, string? CorpusSha256, string? CorpusPath, double BuildSeconds);

/// <summary>
/// An on-disk Lucene.Net index of a BEIR corpus for BM25. Built once per (corpus checksum, analyzer, fields mode, code
/// version) under <c>KitPaths.Home/indexes/&lt;dataset&gt;/&lt;key&gt;</c> and reused; built in a temporary sibling folder
/// and renamed into place, so a crashed build never leaves a half index that looks complete.
/// </summary>
/// <remarks>
/// Every document stores its id (also as sorted doc values, for the deterministic id tie-break at search time) and its raw
/// title and text (for mining, which writes passage texts). Indexed fields: <c>contents</c> (flat) or <c>title</c> and
/// <c>text</c> (multifield); term vectors and positions are not needed for bag-of-words BM25 and are left out.
/// </remarks>
public sealed class Bm25Index : IDisposable
{
    /// <summary>Bump when indexing changes in a way that changes scores, so cached indexes are rebuilt.</summary>
    public const int CodeVersion = 1;

    internal const string IdField = "id", ContentsField = "contents", TitleField = "title", TextField = "text";
    internal const string RawTitleField = "raw_title", RawTextField = "raw_text";
    const string InfoFile = "bm25-index.json";

    readonly FSDirectory _directory;

    Bm25Index(string path, Bm25IndexInfo info)
    {
        Path = path;
        Info = info;
        Fields = Enum.Parse<Bm25Fields>(info.Fields, ignoreCase: true);
        _directory = FSDirectory.Open(path);
        Reader = DirectoryReader.Open(_directory);
        _ids = new Lazy<string[]>(LoadIds, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    readonly Lazy<string[]> _ids;

    /// <summary>
    /// External id of every internal document number, read once from the id doc values. Reading ids from stored fields
    /// would decompress each hit's whole stored document (title and text), which made top-1000 search several times slower.
    /// </summary>
    internal string[] Ids => _ids.Value;

    string[] LoadIds()
    {
        var ids = new string[Reader.MaxDoc];
        var bytes = new BytesRef();
        foreach (var leaf in Reader.Leaves)
        {
            var values = leaf.AtomicReader.GetSortedDocValues(IdField)
                ?? throw new InvalidDataException($"{Path}: index has no id doc values; delete it so it is rebuilt");
            for (int d = 0; d < leaf.AtomicReader.MaxDoc; d++)
            {
                values.Get(d, bytes);
                ids[leaf.DocBase + d] = bytes.Utf8ToString();
            }
        }
        return ids;
    }

    /// <summary>The index folder.</summary>
    public string Path { get; }
    public Bm25IndexInfo Info { get; }
    public Bm25Fields Fields { get; }
    public int DocumentCount => Reader.NumDocs;
    internal DirectoryReader Reader { get; }

    /// <summary>The indexed fields a query is run against (equal weights).</summary>
    internal IReadOnlyList<string> SearchFields => Fields == Bm25Fields.Flat ? [ContentsField] : [TitleField, TextField];

    /// <summary>Opens an index folder made by <see cref="BuildAsync"/>.</summary>
    public static Bm25Index Open(string path)
    {
        var infoPath = System.IO.Path.Combine(path, InfoFile);
        if (!File.Exists(infoPath)) throw new DirectoryNotFoundException($"{path}: not a BM25 index (no {InfoFile}); build it with `hn search bm25` or Bm25Index.OpenOrBuildAsync");
        var info = JsonSerializer.Deserialize<Bm25IndexInfo>(File.ReadAllText(infoPath))
            ?? throw new InvalidDataException($"{infoPath}: empty index description");
        return new Bm25Index(path, info);
    }

    /// <summary>The cache key of an index: a hash of the corpus checksum, the analyzer, the fields mode and <see cref="CodeVersion"/>.</summary>
    public static string KeyFor(string corpusSha256, Bm25Fields fields)
    {
        var material = $"{corpusSha256}|{Bm25Analyzer.Name}|{fields}|v{CodeVersion}";
        return $"{fields.ToString().ToLowerInvariant()}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..16]}";
    }

    /// <summary>Where the index of <paramref name="dataset"/> in the given fields mode lives (whether built or not).</summary>
    public static string CachePathFor(BeirDataset dataset, Bm25Fields fields, string corpusSha256, string? indexRoot = null) =>
        System.IO.Path.Combine(indexRoot ?? System.IO.Path.Combine(KitPaths.Home, "indexes"), dataset.Name, KeyFor(corpusSha256, fields));

    /// <summary>Opens the cached index of <paramref name="dataset"/>, building it first when it is missing or stale.</summary>
    /// <param name="indexRoot">Cache root; default <c>KitPaths.Home/indexes</c>.</param>
    public static async Task<Bm25Index> OpenOrBuildAsync(BeirDataset dataset, Bm25IndexOptions? options = null,
        IProgress<Bm25Progress>? progress = null, string? indexRoot = null, CancellationToken cancellationToken = default)
    {
        options ??= new Bm25IndexOptions();
        progress?.Report(new Bm25Progress("checksum", 0, null));
        var sha = await FileSha256Async(dataset.CorpusPath, cancellationToken);
        var path = CachePathFor(dataset, options.Fields, sha, indexRoot);
        if (!File.Exists(System.IO.Path.Combine(path, InfoFile)))
            await BuildAsync(dataset.StreamCorpus(), path, options, progress, sha, dataset.CorpusPath, cancellationToken);
        return Open(path);
    }

    /// <summary>
    /// Indexes <paramref name="corpus"/> (streamed once) into <paramref name="path"/>: documents are read on one thread and
    /// added by <see cref="Bm25IndexOptions.Threads"/> threads to one IndexWriter, which analyses them in parallel.
    /// The folder appears only when complete; if it already exists it is replaced.
    /// </summary>
    public static async Task<Bm25IndexInfo> BuildAsync(IEnumerable<Data.Document> corpus, string path, Bm25IndexOptions? options = null,
        IProgress<Bm25Progress>? progress = null, string? corpusSha256 = null, string? corpusPath = null, CancellationToken cancellationToken = default)
    {
        options ??= new Bm25IndexOptions();
        var full = System.IO.Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        Data.StaleTemporaries.CleanSiblings(full); // half-built folders of killed runs
        var tmp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            long count;
            using (var dir = FSDirectory.Open(tmp))
            using (var analyzer = new Bm25Analyzer())
            {
                var config = new IndexWriterConfig(Bm25Analyzer.Version, analyzer)
                {
                    OpenMode = OpenMode.CREATE,
                    RAMBufferSizeMB = options.RamBufferMB,
                    Similarity = new Lucene.Net.Search.Similarities.BM25Similarity(),
                };
                using var writer = new IndexWriter(dir, config);
                count = await AddAllAsync(writer, corpus, options, progress, cancellationToken);
                if (options.ForceMerge)
                {
                    progress?.Report(new Bm25Progress("merge", count, count));
                    writer.ForceMerge(1);
                }
                writer.Commit();
            }
            var info = new Bm25IndexInfo(options.Fields.ToString().ToLowerInvariant(), Bm25Analyzer.Name, CodeVersion, count,
                corpusSha256, corpusPath, clock.Elapsed.TotalSeconds);
            File.WriteAllText(System.IO.Path.Combine(tmp, InfoFile), JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));
            if (System.IO.Directory.Exists(full)) System.IO.Directory.Delete(full, recursive: true);
            System.IO.Directory.Move(tmp, full);
            return info;
        }
        finally
        {
            if (System.IO.Directory.Exists(tmp)) System.IO.Directory.Delete(tmp, recursive: true);
        }
    }

    static async Task<long> AddAllAsync(IndexWriter writer, IEnumerable<Data.Document> corpus, Bm25IndexOptions options,
        IProgress<Bm25Progress>? progress, CancellationToken cancellationToken)
    {
        // Bounded hand-off: the reader never runs more than a few thousand documents ahead, so memory stays flat; a failing
        // worker stops the reader, and the first real error (not a sibling's cancellation) is the one that surfaces.
        long added = 0;
        await Threading.BoundedHandOff.RunAsync(corpus, options.EffectiveThreads, capacity: 4096, d =>
        {
            writer.AddDocument(ToLucene(d, options.Fields));
            var n = Interlocked.Increment(ref added);
            if (n % 10_000 == 0) progress?.Report(new Bm25Progress("index", n, null));
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new Bm25Progress("index", added, added));
        return added;
    }

    static LuceneDocument ToLucene(Data.Document d, Bm25Fields fields)
    {
        var doc = new LuceneDocument
        {
            new StringField(IdField, d.Id, Field.Store.YES),
            new SortedDocValuesField(IdField, new BytesRef(d.Id)),
            new StoredField(RawTitleField, d.Title),
            new StoredField(RawTextField, d.Text),
        };
        if (fields == Bm25Fields.Flat)
            doc.Add(new Lucene.Net.Documents.TextField(ContentsField, d.FullText, Field.Store.NO));
        else
        {
            doc.Add(new Lucene.Net.Documents.TextField(TitleField, d.Title, Field.Store.NO));
            doc.Add(new Lucene.Net.Documents.TextField(TextField, d.Text, Field.Store.NO));
        }
        return doc;
    }

    /// <summary>The stored document with id <paramref name="id"/>, or null when the corpus has none.</summary>
    public Data.Document? Find(string id)
    {
        var searcher = new IndexSearcher(Reader);
        var top = searcher.Search(new TermQuery(new Term(IdField, id)), 1);
        return top.TotalHits == 0 ? null : Load(searcher, top.ScoreDocs[0].Doc);
    }

    internal static Data.Document Load(IndexSearcher searcher, int doc)
    {
        var stored = searcher.Doc(doc);
        return new Data.Document(stored.Get(IdField), stored.Get(RawTitleField) ?? "", stored.Get(RawTextField) ?? "");
    }

    /// <summary>SHA-256 of a file's bytes (for the corpus, as stored: a .gz corpus is hashed compressed).</summary>
    public static async Task<string> FileSha256Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    public void Dispose()
    {
        Reader.Dispose();
        _directory.Dispose();
    }
}
