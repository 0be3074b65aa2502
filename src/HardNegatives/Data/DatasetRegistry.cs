namespace HardNegatives.Data;

/// <summary>A downloadable dataset: where its archive is, how to verify it, and what is in it (as published by BEIR).</summary>
/// <param name="Name">BEIR's name, also the cache folder name (<c>hn data fetch NAME</c>).</param>
/// <param name="Url">The official archive.</param>
/// <param name="Md5">MD5 of the archive as published in BEIR's README/wiki table; null where none is published.</param>
/// <param name="Sha256">SHA-256 of the archive where one is known; null otherwise.</param>
/// <param name="ArchiveBytes">Size of the archive in bytes where known; null otherwise.</param>
/// <param name="Splits">The qrels splits BEIR lists for it.</param>
/// <param name="TestQueries">Queries in the evaluation split, as BEIR's table lists them.</param>
/// <param name="CorpusSize">Corpus size as BEIR's table lists it (e.g. "5K", "8.84M").</param>
/// <param name="InReproductionSet">One of the ten BEIR sets this kit's reproduction evaluates on (see data-cards/README.md).</param>
public sealed record DatasetEntry(
    string Name,
    string Title,
    string Domain,
    Uri Url,
    string? Md5,
    string? Sha256,
    long? ArchiveBytes,
    IReadOnlyList<string> Splits,
    int TestQueries,
    string CorpusSize,
    string Homepage,
    string Licence,
    bool InReproductionSet)
{
    /// <summary>The archive's file name, e.g. <c>scifact.zip</c>.</summary>
    public string ArchiveName => Url.Segments[^1];
}

/// <summary>
/// The BEIR datasets that can be downloaded (the 14 public ones plus MS MARCO), with BEIR's official URLs and published MD5s
/// (github.com/beir-cellar/beir README, "Available Datasets" table).
/// </summary>
public static class DatasetRegistry
{
    /// <summary>Where BEIR serves its archives.</summary>
    public static readonly Uri BeirBaseUrl = new("https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/");

    static DatasetEntry Beir(string name, string title, string domain, string md5, string[] splits, int testQueries, string corpus,
        string homepage, string licence, bool reproduction, string? sha256 = null, long? bytes = null) =>
        new(name, title, domain, new Uri(BeirBaseUrl, name + ".zip"), md5, sha256, bytes, splits, testQueries, corpus, homepage, licence, reproduction);

    /// <summary>Every registered dataset, MS MARCO first, then BEIR's table order.</summary>
    public static IReadOnlyList<DatasetEntry> All { get; } =
    [
        Beir("msmarco", "MS MARCO passage", "web search", "444067daf65d982533ea17ebd59501e4", ["train", "dev", "test"], 6980, "8.84M",
            "https://microsoft.github.io/msmarco/", "MS MARCO terms: non-commercial research use", false),
        Beir("trec-covid", "TREC-COVID", "bio-medical", "ce62140cb23feb9becf6270d0d1fe6d1", ["test"], 50, "171K",
            "https://ir.nist.gov/covidSubmit/index.html", "CORD-19 dataset licence (per-source terms)", true),
        Beir("nfcorpus", "NFCorpus", "bio-medical", "a89dba18a62ef92f7d323ec890a0d38d", ["train", "dev", "test"], 323, "3.6K",
            "https://www.cl.uni-heidelberg.de/statnlpgroup/nfcorpus/", "research use (see homepage); BEIR HF mirror lists CC BY-SA 4.0", true),
        Beir("nq", "Natural Questions", "Wikipedia QA", "d4d3d2e48787a744b6f6e691ff534307", ["train", "test"], 3452, "2.68M",
            "https://ai.google.com/research/NaturalQuestions", "CC BY-SA 3.0", true),
        Beir("hotpotqa", "HotpotQA", "Wikipedia QA", "f412724f78b0d91183a0e86805e16114", ["train", "dev", "test"], 7405, "5.23M",
            "https://hotpotqa.github.io", "CC BY-SA 4.0", false),
        Beir("fiqa", "FiQA-2018", "finance QA", "17918ed23cd04fb15047f73e6c3bd9d9", ["train", "dev", "test"], 648, "57K",
            "https://sites.google.com/view/fiqa/", "not stated by the source; BEIR HF mirror lists CC BY-SA 4.0", true),
        Beir("arguana", "ArguAna", "argument retrieval", "8ad3e3c2a5867cdced806d6503f29b99", ["test"], 1406, "8.67K",
            "http://argumentation.bplaced.net/arguana/data", "not stated by the source; BEIR HF mirror lists CC BY-SA 4.0", true),
        Beir("webis-touche2020", "Touché-2020", "argument retrieval", "46f650ba5a527fc69e0a6521c5a23563", ["test"], 49, "382K",
            "https://webis.de/events/touche-20/shared-task-1.html", "CC BY 4.0", true),
        Beir("cqadupstack", "CQADupStack", "duplicate questions (StackExchange)", "4e41456d7df8ee7760a7f866133bda78", ["test"], 13145, "457K",
            "http://nlp.cis.unimelb.edu.au/resources/cqadupstack/", "Apache-2.0 (StackExchange content CC BY-SA)", false),
        Beir("quora", "Quora duplicate questions", "duplicate questions", "18fb154900ba42a600f84b839c173167", ["dev", "test"], 10000, "523K",
            "https://www.quora.com/q/quoradata/First-Quora-Dataset-Release-Question-Pairs", "Quora's terms of service (non-commercial)", true),
        Beir("dbpedia-entity", "DBPedia-Entity v2", "entity retrieval", "c2a39eb420a3164af735795df012ac2c", ["dev", "test"], 400, "4.63M",
            "https://github.com/iai-group/DBpedia-Entity/", "CC BY-SA 3.0", false),
        Beir("scidocs", "SCIDOCS", "citation prediction", "38121350fc3a4d2f48850f6aff52e4a9", ["test"], 1000, "25K",
            "https://allenai.org/data/scidocs", "GPL-3.0 (allenai/scidocs)", true),
        Beir("fever", "FEVER", "fact checking (Wikipedia)", "5a818580227bfb4b35bb6fa46d9b6c03", ["train", "dev", "test"], 6666, "5.42M",
            "http://fever.ai", "CC BY-SA 3.0 (Wikipedia-derived)", false),
        Beir("climate-fever", "Climate-FEVER", "fact checking (climate)", "8b66f0a9126c521bae2bde127b4dc99d", ["test"], 1535, "5.42M",
            "http://climatefever.ai", "not stated by BEIR; BEIR HF mirror lists CC BY-SA 4.0", true),
        // SHA-256 and size of scifact.zip as recorded by two independent reproductions; MD5 as BEIR publishes it.
        Beir("scifact", "SciFact", "scientific claims", "5f7d1de60b170fc8027bb7898e2efca1", ["train", "test"], 300, "5K",
            "https://github.com/allenai/scifact", "CC BY-NC 2.0", true,
            sha256: "536e14446a0ba56ed1398ab1055f39fe852686ecad24a6306c80c490fa8e0165", bytes: 2_816_079),
    ];

    /// <summary>The ten BEIR sets the reproduction evaluates on.</summary>
    public static IReadOnlyList<DatasetEntry> ReproductionSet => All.Where(e => e.InReproductionSet).ToList();

    /// <summary>The entry named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static DatasetEntry? TryFind(string name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The entry named <paramref name="name"/>; throws with the list of known names otherwise.</summary>
    public static DatasetEntry Find(string name) => TryFind(name)
        ?? throw new ArgumentException($"unknown dataset '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}");
}
