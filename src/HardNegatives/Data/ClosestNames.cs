namespace HardNegatives.Data;

/// <summary>The known names nearest to a misspelled one (Levenshtein distance, case-insensitive), for "did you mean" hints.</summary>
public static class ClosestNames
{
    /// <summary>Up to <paramref name="count"/> names within a third of the name's length (at least 2 edits), nearest first.</summary>
    public static IReadOnlyList<string> Of(string name, IEnumerable<string> known, int count = 3)
    {
        var limit = Math.Max(2, name.Length / 3);
        return known.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(k => (Name: k, Distance: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(k => k.Distance <= limit)
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Take(count).Select(k => k.Name).ToList();
    }

    /// <summary>Edits (insert, delete, substitute) that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
