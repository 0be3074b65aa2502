using HardNegatives.Data;
using HardNegatives.Negatives;

namespace HardNegatives.Mining;

/// <summary>
/// The control arm: negatives drawn uniformly from the corpus, never one of the query's positives. One row per
/// (query, positive), as mined and generated sources produce. Seeded: the same seed gives the same file.
/// </summary>
public static class RandomNegativeSampler
{
    public static IEnumerable<Triple> Sample(IReadOnlyList<TrainingPair> pairs, IReadOnlyList<Document> corpus, int numNegatives, int seed)
    {
        if (numNegatives < 1) throw new ArgumentOutOfRangeException(nameof(numNegatives), "ask for at least one negative");
        var random = new Random(seed);
        var options = new Dictionary<string, string> { ["num_negatives"] = $"{numNegatives}", ["seed"] = $"{seed}" };
        foreach (var pair in pairs)
        {
            var exclude = pair.Positives.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            if (corpus.Count - exclude.Count < numNegatives)
                throw new InvalidOperationException($"query {pair.QueryId}: the corpus has fewer than {numNegatives} non-positive documents");
            foreach (var positive in pair.Positives)
            {
                var chosen = new List<Negative>(numNegatives);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (chosen.Count < numNegatives)
                {
                    var d = corpus[random.Next(corpus.Count)];
                    if (!exclude.Contains(d.Id) && seen.Add(d.Id)) chosen.Add(new Negative(d.Id, d.FullText));
                }
                yield return new Triple(pair.QueryId, pair.QueryText, positive.Id, positive.FullText, chosen, "random", options);
            }
        }
    }
}
