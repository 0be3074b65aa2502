using HardNegatives.Negatives;

namespace HardNegatives.Reporting;

/// <summary>
/// How a source's negatives relate to their positives — beyond the paper: lexical overlap (token-set Jaccard), length ratio,
/// and, when a cross-encoder is given, how often it scores a negative at or above the positive (an estimate of false negatives).
/// </summary>
public sealed record NegativeDiagnostics(
    string Source, int Rows, int Negatives, double MeanOverlapWithPositive, double MeanOverlapWithQuery,
    double MeanLengthRatio, double? FalseNegativeRate)
{
    /// <param name="crossEncoder">Scores (query, passage) pairs; null skips the false-negative estimate.</param>
    public static async Task<NegativeDiagnostics> ComputeAsync(string source, IEnumerable<Triple> triples,
        Func<IReadOnlyList<(string Query, string Passage)>, Task<IReadOnlyList<float>>>? crossEncoder = null)
    {
        int rows = 0, negatives = 0, above = 0, judged = 0;
        double overlapPositive = 0, overlapQuery = 0, lengthRatio = 0;
        foreach (var t in triples)
        {
            rows++;
            var positiveTokens = Tokens(t.Positive);
            var queryTokens = Tokens(t.Query);
            int positiveLength = Math.Max(1, WordCount(t.Positive));
            foreach (var n in t.Negatives)
            {
                negatives++;
                var tokens = Tokens(n.Text);
                overlapPositive += Jaccard(tokens, positiveTokens);
                overlapQuery += Jaccard(tokens, queryTokens);
                lengthRatio += (double)WordCount(n.Text) / positiveLength;
            }
            if (crossEncoder is not null && t.Negatives.Count > 0)
            {
                var pairs = new List<(string, string)> { (t.Query, t.Positive) };
                pairs.AddRange(t.Negatives.Select(n => (t.Query, n.Text)));
                var scores = await crossEncoder(pairs);
                for (int i = 1; i < scores.Count; i++) { judged++; if (scores[i] >= scores[0]) above++; }
            }
        }
        double Avg(double sum) => negatives == 0 ? 0 : sum / negatives;
        return new NegativeDiagnostics(source, rows, negatives, Avg(overlapPositive), Avg(overlapQuery), Avg(lengthRatio),
            crossEncoder is null || judged == 0 ? null : (double)above / judged);
    }

    /// <summary>Lowercased word tokens (letters and digits), as a set.</summary>
    public static HashSet<string> Tokens(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool word = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (word && start < 0) start = i;
            else if (!word && start >= 0) { set.Add(text[start..i].ToLowerInvariant()); start = -1; }
        }
        return set;
    }

    public static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0) return 0;
        int intersection = a.Count(b.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
