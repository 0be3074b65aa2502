using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace HardNegatives.Retrieval.Bm25;

/// <summary>
/// Anserini's <c>DefaultEnglishAnalyzer</c> (what Pyserini's BEIR indexes use), rebuilt on Lucene.Net 4.8:
/// StandardTokenizer → EnglishPossessiveFilter → LowerCaseFilter → StopFilter (Lucene's 33 English stopwords,
/// <c>EnglishAnalyzer.ENGLISH_STOP_WORDS_SET</c>) → PorterStemFilter. The possessive filter runs before lowercasing,
/// as in Anserini. Documents and queries go through the same chain.
/// </summary>
public sealed class Bm25Analyzer : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Names this chain in index keys: change it whenever the chain changes, so old indexes are rebuilt.</summary>
    public const string Name = "anserini-default-english:standard+possessive+lowercase+stop33+porter";

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream result = new EnglishPossessiveFilter(Version, source);
        result = new LowerCaseFilter(Version, result);
        result = new StopFilter(Version, result, StopAnalyzer.ENGLISH_STOP_WORDS_SET);
        result = new PorterStemFilter(result);
        return new TokenStreamComponents(source, result);
    }

    /// <summary>The terms this analyzer makes of <paramref name="text"/>, in order, repeats kept.</summary>
    public IReadOnlyList<string> Tokenize(string text, string field = "contents")
    {
        var terms = new List<string>();
        using var stream = GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }
}
