using HardNegatives.Data;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Tests.BadInput;

/// <summary>Case 8: a query with more distinct terms than one Lucene query may hold gives a result or one clear error.</summary>
public sealed class HugeQueryTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("hn-huge-query-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Distinct words the analyzer keeps as they are: consonants that no Porter rule strips (no s, y, e, d, g, l).</summary>
    static IEnumerable<string> Words(int count) => Enumerable.Range(0, count).Select(i =>
    {
        const string letters = "bcfhjkmnpqrtvwxz";
        var chars = new char[5];
        for (int k = 0, n = i; k < 5; k++, n /= letters.Length) chars[k] = letters[n % letters.Length];
        return "zq" + new string(chars);
    });

    async Task<Bm25Index> IndexAsync(params Document[] docs)
    {
        var path = Path.Combine(_root, "idx");
        await Bm25Index.BuildAsync(docs, path, new Bm25IndexOptions(Bm25Fields.Flat, 1));
        return Bm25Index.Open(path);
    }

    [Fact]
    public async Task A_query_of_70000_distinct_words_gives_a_ranking()
    {
        using var index = await IndexAsync(new("a", "", "apple orchard"), new("b", "", "banana grove"));
        using var searcher = new Bm25Searcher(index);
        var huge = "apple " + string.Join(' ', Words(70_000));
        var ranking = searcher.SearchAll([new Query("q", huge), new Query("q2", "banana")]).ToList();
        Assert.Equal(["a"], ranking[0].Hits.Select(h => h.DocumentId));
        Assert.Equal(["b"], ranking[1].Hits.Select(h => h.DocumentId));
    }

    [Fact]
    public async Task Too_many_indexed_terms_is_one_clear_error_naming_the_query()
    {
        var words = Words(BooleanQueryLimit + 10).ToList();
        using var index = await IndexAsync(new Document("a", "", string.Join(' ', words)));
        using var searcher = new Bm25Searcher(index);
        var e = Assert.Throws<ArgumentException>(() => searcher.Search(new Query("q7", string.Join(' ', words))));
        Assert.StartsWith("query 'q7': the query has", e.Message);
        Assert.Contains("shorten it", e.Message);
    }

    static int BooleanQueryLimit => Lucene.Net.Search.BooleanQuery.MaxClauseCount < 65_536 ? 65_536 : Lucene.Net.Search.BooleanQuery.MaxClauseCount;
}
