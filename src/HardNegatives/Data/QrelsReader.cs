using System.Globalization;

namespace HardNegatives.Data;

/// <summary>
/// Reads relevance judgments: BEIR TSV (<c>query-id  corpus-id  score</c>, header row optional) or TREC
/// (<c>qid 0 docid grade</c>, whitespace separated). CRLF or LF. Grade-0 rows are kept. Lines starting with <c>#</c>
/// are comments (trec_eval's <c>get_qrels.c</c> skips them too).
/// </summary>
public static class QrelsReader
{
    /// <summary>One parsed qrels line: a judgment, a header row (only allowed on line 1), or a problem.</summary>
    public sealed record ParsedLine(Qrel? Value, bool IsHeader, string? Problem);

    /// <summary>Reads every judgment of the file, detecting its format per line; throws <see cref="DataFormatException"/> on a bad line.</summary>
    public static IEnumerable<Qrel> Read(string path)
    {
        foreach (var (number, parsed) in ParseAll(path))
        {
            if (parsed.Problem is not null) throw new DataFormatException(path, number, parsed.Problem);
            if (parsed.Value is not null) yield return parsed.Value;
        }
    }

    /// <summary>Every non-blank line, parsed or with its problem; never throws on bad content (validators use this).</summary>
    public static IEnumerable<(long Number, ParsedLine Parsed)> ParseAll(string path)
    {
        foreach (var (number, raw) in TextFiles.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length != 0 && line[0] != '#') yield return (number, ParseLine(line, number)); // '#' starts a comment line, as in trec_eval
        }
    }

    /// <summary>Parses one trimmed, non-blank line; <paramref name="number"/> decides whether a non-numeric grade is a header.</summary>
    public static ParsedLine ParseLine(string line, long number)
    {
        // BEIR files are tab-separated (ids may contain spaces); TREC files use any whitespace.
        var parts = line.Split(line.Contains('\t') ? ['\t'] : [' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string qid, docid, grade;
        if (parts.Length == 3) (qid, docid, grade) = (parts[0], parts[1], parts[2]);
        else if (parts.Length == 4) (qid, docid, grade) = (parts[0], parts[2], parts[3]);
        else return new ParsedLine(null, false, $"expected 3 columns (BEIR: query-id, corpus-id, score) or 4 (TREC: qid 0 docid grade), found {parts.Length}");
        if (!int.TryParse(grade, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int g))
            return number == 1
                ? new ParsedLine(null, true, null) // a header row such as "query-id corpus-id score"
                : new ParsedLine(null, false, $"relevance grade '{grade}' is not an integer");
        return new ParsedLine(new Qrel(qid, docid, g), false, null);
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
