using HardNegatives.Retrieval;

namespace HardNegatives.Evaluation;

/// <summary>
/// Orders one query's results exactly as trec_eval 9.0.x does and looks up their grades.
/// <para>
/// trec_eval (<c>form_res_rels.c</c>, <c>comp_sim_docno</c>) ignores the rank column, sorts by score descending and
/// breaks ties by document id in <em>descending</em> <c>strcmp</c> order; <see cref="string.CompareOrdinal(string, string)"/>
/// is that order for ASCII ids (and compares UTF-16 code units otherwise). A document listed twice for one query is an
/// error there ("duplicate docs") and here.
/// </para>
/// </summary>
public static class TrecRanking
{
    /// <summary>trec_eval's result order: score descending, then document id descending (ordinal).</summary>
    public static int Compare(RunEntry a, RunEntry b)
    {
        int byScore = b.Score.CompareTo(a.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(b.DocumentId, a.DocumentId);
    }

    /// <summary>
    /// Sorts a copy of one query's entries in trec_eval order, keeps the first <paramref name="maxDocuments"/> (trec_eval's
    /// <c>-M</c>), and throws on a document listed twice among those kept: trec_eval cuts before it checks for duplicates
    /// (<c>form_res_rels.c</c>), so a repeat below the cut is not an error there either.
    /// </summary>
    public static RunEntry[] Sort(string queryId, IEnumerable<RunEntry> entries, int? maxDocuments = null)
    {
        var sorted = entries.ToArray();
        Array.Sort(sorted, Compare);
        if (maxDocuments is { } m && m < sorted.Length) sorted = sorted[..Math.Max(0, m)];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in sorted)
            if (!seen.Add(e.DocumentId))
                throw new InvalidDataException($"run lists document '{e.DocumentId}' more than once for query '{queryId}'; trec_eval rejects duplicate documents, remove the repeats");
        return sorted;
    }

    /// <summary>
    /// The judged ranking of one query. <paramref name="entries"/> null means the query is missing from the run
    /// (an empty ranking, as trec_eval -c evaluates it). <paramref name="maxDocuments"/> is trec_eval's <c>-M</c>.
    /// </summary>
    public static JudgedRanking Judge(string queryId, IEnumerable<RunEntry>? entries, IReadOnlyDictionary<string, int> judgments,
        int relevanceLevel = 1, int? maxDocuments = null)
    {
        var sorted = entries is null ? [] : Sort(queryId, entries, maxDocuments);
        var grades = new int[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
            grades[i] = !judgments.TryGetValue(sorted[i].DocumentId, out int g) ? JudgedRanking.Unjudged
                : g < 0 ? JudgedRanking.PooledUnjudged : g;
        // rel_levels in form_res_rels.c count every judged grade >= 0; nDCG's ideal ranking walks the levels > 0 from the top.
        var ideal = judgments.Values.Where(g => g > 0).OrderDescending().ToArray();
        int relevant = judgments.Values.Count(g => g >= relevanceLevel && g >= 0);
        int nonRelevant = judgments.Values.Count(g => g >= 0 && g < relevanceLevel);
        return new JudgedRanking(queryId, grades, ideal, relevant, relevanceLevel, entries is null, nonRelevant);
    }
}
