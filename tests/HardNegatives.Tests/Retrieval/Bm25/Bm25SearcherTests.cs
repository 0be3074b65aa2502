using HardNegatives.Data;
using HardNegatives.Retrieval;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Tests.Retrieval.Bm25;

/// <summary>Analyzer, query safety, BM25 arithmetic, ties and self-matches on tiny hand-made corpora.</summary>
public sealed class Bm25SearcherTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "hn-bm25-unit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    async Task<Bm25Index> BuildAsync(IEnumerable<Document> docs, Bm25Fields fields = Bm25Fields.Flat, int threads = 2, string name = "idx")
    {
        var path = Path.Combine(_root, name);
        await Bm25Index.BuildAsync(docs, path, new Bm25IndexOptions(fields, threads));
        return Bm25Index.Open(path);
    }

    [Fact]
    public void Analyzer_MatchesAnserinisDefaultEnglishAnalyzer()
    {
        using var analyzer = new Bm25Analyzer();
        // Pyserini's documented example for its default (Porter) analyzer.
        Assert.Equal(["citi", "buse", "run", "time"], analyzer.Tokenize("City buses are running on time."));
        // Possessives go before lowercasing and stopwords ("the", "of" are in Lucene's 33-word English list).
        Assert.Equal(["john", "dog", "bone"], analyzer.Tokenize("The John's dog's BONES of"));
        Assert.Empty(analyzer.Tokenize("and the of AND"));
    }

    [Fact]
    public async Task Scores_AreLuceneBm25_WithGivenK1AndB()
    {
        // Lengths 1 and 4 are stored exactly by Lucene 4.8's one-byte norms (1/√1, 1/√4), so the scores can be computed by hand:
        // N = 3, avgdl = (1 + 4 + 1) / 3 = 2; "apple" is in 2 documents: idf = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6.
        // score = idf · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)), k1 = 0.9, b = 0.4.
        using var index = await BuildAsync([new("a", "", "apple"), new("b", "", "apple banana cherry grape"), new("c", "", "banana")]);
        using var searcher = new Bm25Searcher(index);
        var hits = searcher.Search(new Query("q", "apple")).Hits;
        Assert.Equal(["a", "b"], hits.Select(h => h.DocumentId));
        double idf = Math.Log(1.6);
        Assert.Equal(idf * 1.9 / (1 + 0.9 * (0.6 + 0.4 * 0.5)), hits[0].Score, 5);
        Assert.Equal(idf * 1.9 / (1 + 0.9 * (0.6 + 0.4 * 2.0)), hits[1].Score, 5);

        // k1 = 1.2, b = 0.75 change it as the formula says.
        using var other = new Bm25Searcher(index, new Bm25SearchOptions(K1: 1.2, B: 0.75));
        Assert.Equal(idf * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2.0)), other.Search(new Query("q", "apple")).Hits[1].Score, 5);

        // A repeated query term counts twice (Anserini adds one clause per occurrence).
        Assert.Equal(2 * hits[0].Score, searcher.Search(new Query("q", "apple apples")).Hits[0].Score, 5);
    }

    [Theory]
    [InlineData("apple AND banana")]
    [InlineData("apple* banana?")]
    [InlineData("title:apple banana")]
    [InlineData("\"apple banana")]
    [InlineData("(apple [banana} ^2 ~ -")]
    [InlineData("apple OR NOT banana && || !")]
    public async Task QuerySyntax_IsPlainText(string text)
    {
        using var index = await BuildAsync([new("a", "", "apple"), new("b", "", "banana split"), new("c", "", "title and")]);
        using var searcher = new Bm25Searcher(index);
        var hits = searcher.Search(new Query("q", text)).Hits;
        // Whatever the operators, the query is its words: apple and banana find a and b.
        Assert.Contains(hits, h => h.DocumentId == "b");
        Assert.DoesNotContain(hits, h => h.DocumentId == "c" && !text.Contains("title"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("AND")]
    [InlineData("*")]
    [InlineData(":")]
    [InlineData("\"")]
    [InlineData("((")]
    public async Task EmptyOrOperatorOnlyQuery_FindsNothing_WithoutError(string text)
    {
        using var index = await BuildAsync([new("a", "", "apple"), new("b", "", "banana")]);
        using var searcher = new Bm25Searcher(index);
        Assert.Empty(searcher.Search(new Query("q", text)).Hits);
    }

    [Fact]
    public async Task Ties_AreBrokenByDocumentId_WhateverTheIndexingOrder()
    {
        var ids = Enumerable.Range(0, 300).Select(i => $"doc{i:D3}").ToList();
        var shuffled = ids.OrderBy(_ => Random.Shared.Next()).Select(id => new Document(id, "", "same words here")).ToList();
        using var a = await BuildAsync(shuffled, threads: 2, name: "a");
        using var b = await BuildAsync(shuffled.AsEnumerable().Reverse(), threads: 1, name: "b");
        foreach (var index in new[] { a, b })
        {
            using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(TopK: 100));
            var hits = searcher.Search(new Query("q", "words")).Hits;
            Assert.Equal(ids.Order(StringComparer.Ordinal).Take(100), hits.Select(h => h.DocumentId));
        }
    }

    [Fact]
    public async Task SelfMatches_AreRemovedByDefault_AndTopKIsStillFilled()
    {
        using var index = await BuildAsync([new("q1", "", "apple apple"), new("d1", "", "apple pie"), new("d2", "", "apple tree"), new("d3", "", "pear")]);
        using var removing = new Bm25Searcher(index, new Bm25SearchOptions(TopK: 2));
        Assert.Equal(["d1", "d2"], removing.Search(new Query("q1", "apple")).Hits.Select(h => h.DocumentId).Order());
        using var keeping = new Bm25Searcher(index, new Bm25SearchOptions(TopK: 2, RemoveSelfMatches: false));
        Assert.Equal("q1", keeping.Search(new Query("q1", "apple")).Hits[0].DocumentId);
    }

    [Fact]
    public async Task Multifield_SearchesTitleAndTextWithEqualWeights()
    {
        using var index = await BuildAsync([new("t", "apple", "nothing"), new("x", "nothing", "apple")], Bm25Fields.Multifield);
        using var searcher = new Bm25Searcher(index);
        var hits = searcher.Search(new Query("q", "apple")).Hits;
        Assert.Equal(2, hits.Count);
        Assert.Equal(hits[0].Score, hits[1].Score, 5); // same statistics in each field, same weight
        Assert.Equal(Bm25Fields.Multifield, index.Fields);
    }

    [Fact]
    public async Task SearchAll_KeepsQueryOrder_AndRunEntriesWriteAsTrecLines()
    {
        using var index = await BuildAsync(Enumerable.Range(0, 50).Select(i => new Document($"d{i}", "", $"word{i % 5} common")));
        using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(TopK: 3, Threads: 2));
        var queries = Enumerable.Range(0, 700).Select(i => new Query($"q{i}", $"word{i % 5}")).ToList();
        var rankings = searcher.SearchAll(queries).ToList();
        Assert.Equal(queries.Select(q => q.Id), rankings.Select(r => r.QueryId));
        var path = Path.Combine(_root, "run.trec");
        await TrecRunFile.WriteAsync(path, rankings.SelectMany(r => r.ToRunEntries("mytag")));
        Assert.Equal(2100, File.ReadLines(path).Count());
        var first = File.ReadLines(path).First().Split(' ');
        Assert.Equal(["q0", "Q0", rankings[0].Hits[0].DocumentId, "1", rankings[0].Hits[0].Score.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "mytag"], first);
        Assert.Equal("3", File.ReadLines(path).ElementAt(2).Split(' ')[3]);
    }

    [Fact]
    public async Task ScoreDocuments_GivesBm25ScoresAndZeroForNonMatching()
    {
        using var index = await BuildAsync([new("a", "", "apple"), new("b", "", "banana"), new("c", "", "apple banana cherry grape")]);
        using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(TopK: 1));
        var top = searcher.Search(new Query("q", "apple")).Hits[0];
        var scores = searcher.ScoreDocuments("apple", ["a", "b", "missing"]);
        Assert.Equal(top.Score, scores["a"], 6);
        Assert.Equal(0, scores["b"]);
        Assert.False(scores.ContainsKey("missing"));
    }

    [Fact]
    public async Task FailedBuild_LeavesNoIndexBehind_AndDoesNotHang()
    {
        // A bad document deep in a long corpus: the worker's error must stop the reader (which would otherwise block on a
        // full queue) and surface; the target folder must not appear.
        IEnumerable<Document> Corpus()
        {
            for (int i = 0; i < 20_000; i++) yield return new Document($"d{i}", "", i == 100 ? null! : "some words");
        }
        // Hammered: which worker meets the bad document, and when its sibling is cancelled, varies from run to run; the
        // document's own error must surface every time (once a sibling's cancellation won the race, see issue 17).
        for (int run = 0; run < 40; run++)
        {
            var path = Path.Combine(_root, "broken");
            await Assert.ThrowsAnyAsync<ArgumentException>(() => Bm25Index.BuildAsync(Corpus(), path, new Bm25IndexOptions(Threads: 2 + run % 3)));
            Assert.False(Directory.Exists(path));
            Assert.Empty(Directory.Exists(_root) ? Directory.GetDirectories(_root) : []);
        }
    }
}
