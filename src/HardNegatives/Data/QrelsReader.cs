using System.Globalization;

namespace HardNegatives.Data;

/// <summary>
/// Reads relevance judgments: BEIR TSV (<c>query-id  corpus-id  score</c>, header row optional) or TREC
/// (<c>qid 0 docid grade</c>, whitespace separated). CRLF or LF. Grade-0 rows are kept.
/// </summary>
public static class QrelsReader
{
    /// <summary>Reads every judgment of the file, detecting its format per line.</summary>
    public static IEnumerable<Qrel> Read(string path)
    {
        foreach (var (number, raw) in TextFiles.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var parts = line.Split(line.Contains('\t') ? ['\t'] : [' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string qid, docid, grade;
            if (parts.Length == 3) (qid, docid, grade) = (parts[0], parts[1], parts[2]);
            else if (parts.Length == 4) (qid, docid, grade) = (parts[0], parts[2], parts[3]);
            else throw new DataFormatException(path, number, $"expected 3 columns (BEIR: query-id, corpus-id, score) or 4 (TREC: qid 0 docid grade), found {parts.Length}");
            if (!int.TryParse(grade, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int g))
            {
                if (number == 1) continue; // a header row such as "query-id corpus-id score"
                throw new DataFormatException(path, number, $"relevance grade '{grade}' is not an integer");
            }
            yield return new Qrel(qid, docid, g);
        }
    }

    /// <summary>Judgments grouped by query: query id → (document id → grade).</summary>
    public static Dictionary<string, Dictionary<string, int>> ReadGrouped(string path)
    {
        var byQuery = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var q in Read(path))
        {
            if (!byQuery.TryGetValue(q.QueryId, out var docs)) byQuery[q.QueryId] = docs = new(StringComparer.Ordinal);
            docs[q.DocumentId] = q.Grade;
        }
        return byQuery;
    }
}
