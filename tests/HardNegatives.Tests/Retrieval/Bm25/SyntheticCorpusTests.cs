using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Tests.Retrieval.Bm25;

public sealed class SyntheticCorpusTests
{
    [Fact]
    public void SameSeed_SameDocuments_OtherSeed_Others()
    {
        var a = new SyntheticCorpus(vocabulary: 1000, seed: 5).Documents(50).ToList();
        var b = new SyntheticCorpus(vocabulary: 1000, seed: 5).Documents(50).ToList();
        var c = new SyntheticCorpus(vocabulary: 1000, seed: 6).Documents(50).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(d => d.Text), c.Select(d => d.Text));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"s{i}"), a.Select(d => d.Id));
    }

    [Fact]
    public void WordFrequencies_FollowZipf_AndLengthsStayInRange()
    {
        var corpus = new SyntheticCorpus(vocabulary: 5000, exponent: 1.0, minLength: 20, maxLength: 40, seed: 1);
        var counts = new Dictionary<string, int>();
        foreach (var d in corpus.Documents(2000))
        {
            var words = d.Text.Split(' ');
            Assert.InRange(words.Length, 20, 40);
            foreach (var w in words) counts[w] = counts.GetValueOrDefault(w) + 1;
        }
        var ranked = counts.Values.OrderDescending().ToArray();
        // Zipf with s = 1: frequency ∝ 1/rank, so rank 1 is about twice rank 2 and ten times rank 10.
        Assert.InRange((double)ranked[0] / ranked[1], 1.7, 2.3);
        Assert.InRange((double)ranked[0] / ranked[9], 8.0, 12.0);
        // Made-up words survive the analyzer as one term each (no stopwords, no splitting).
        using var analyzer = new Bm25Analyzer();
        Assert.Equal(30, analyzer.Tokenize(string.Join(' ', counts.Keys.Take(30))).Count);
    }
}
