using HardNegatives.Data;

namespace HardNegatives.Retrieval.Bm25;

/// <summary>
/// A seeded synthetic corpus for scaling benchmarks: words drawn from a Zipf distribution (exponent
/// <see cref="Exponent"/>) over a vocabulary of pronounceable made-up words, document lengths uniform in
/// [<see cref="MinLength"/>, <see cref="MaxLength"/>]. Streamed: any size without holding it in memory; the same seed
/// always gives the same documents.
/// </summary>
public sealed class SyntheticCorpus
{
    readonly double[] _cdf;
    readonly string[] _words;

    public SyntheticCorpus(int vocabulary = 50_000, double exponent = 1.0, int minLength = 50, int maxLength = 250, int seed = 1)
    {
        if (vocabulary < 1 || minLength < 1 || maxLength < minLength) throw new ArgumentException("vocabulary and lengths must be positive, min ≤ max");
        (Vocabulary, Exponent, MinLength, MaxLength, Seed) = (vocabulary, exponent, minLength, maxLength, seed);
        _words = Enumerable.Range(0, vocabulary).Select(Word).ToArray();
        _cdf = new double[vocabulary];
        double sum = 0;
        for (int r = 0; r < vocabulary; r++) _cdf[r] = sum += 1.0 / Math.Pow(r + 1, exponent);
        for (int r = 0; r < vocabulary; r++) _cdf[r] /= sum;
    }

    public int Vocabulary { get; }
    public double Exponent { get; }
    public int MinLength { get; }
    public int MaxLength { get; }
    public int Seed { get; }

    // Consonant-vowel syllables from the rank: distinct, never an English stopword, stable under no stemming surprises that matter here.
    static string Word(int rank)
    {
        const string consonants = "bdfgklmnprstvz", vowels = "aeiou";
        var chars = new List<char>();
        int n = rank + 1;
        do { chars.Add(consonants[n % consonants.Length]); n /= consonants.Length; chars.Add(vowels[n % vowels.Length]); n /= vowels.Length; } while (n > 0);
        chars.Add('x');
        return new string(chars.ToArray());
    }

    string Draw(Random random)
    {
        int i = Array.BinarySearch(_cdf, random.NextDouble());
        return _words[Math.Min(i < 0 ? ~i : i, _words.Length - 1)];
    }

    /// <summary>Documents <c>s0 … s(count−1)</c>, a short title and a body each.</summary>
    public IEnumerable<Document> Documents(int count)
    {
        var random = new Random(Seed);
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(MinLength, MaxLength + 1);
            var title = string.Join(' ', Enumerable.Range(0, 5).Select(_ => Draw(random)));
            var text = string.Join(' ', Enumerable.Range(0, length).Select(_ => Draw(random)));
            yield return new Document($"s{i}", title, text);
        }
    }

    /// <summary>Queries of 3–10 Zipf words (a different seed stream from the documents).</summary>
    public IEnumerable<Query> Queries(int count)
    {
        var random = new Random(Seed + 1_000_003);
        for (int i = 0; i < count; i++)
            yield return new Query($"sq{i}", string.Join(' ', Enumerable.Range(0, random.Next(3, 11)).Select(_ => Draw(random))));
    }
}
