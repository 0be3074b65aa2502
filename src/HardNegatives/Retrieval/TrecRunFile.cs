using System.Globalization;
using System.Text;
using HardNegatives.Data;

namespace HardNegatives.Retrieval;

/// <summary>
/// One line of a TREC run: <c>qid Q0 docid rank score tag</c>. trec_eval ignores <see cref="Rank"/> and orders by
/// <see cref="Score"/> (descending, ties by document id descending); the rank is kept only so runs round-trip.
/// </summary>
public sealed record RunEntry(string QueryId, string DocumentId, int Rank, double Score, string Tag);

/// <summary>Reads and writes TREC run files (the format trec_eval, pytrec_eval, Pyserini and Anserini share).</summary>
public static class TrecRunFile
{
    /// <summary>
    /// Every entry of the run, in file order, read as trec_eval's <c>get_trec_results.c</c> reads it: columns are whitespace
    /// separated; blank lines and lines whose first non-blank character is <c>#</c> are comments; the second column (<c>Q0</c>)
    /// and the rank are skipped (a rank that is not an integer is kept as 0); the score is read like C's <c>atof</c> (its
    /// longest numeric prefix: <c>1e-3</c>, <c>.5</c>, <c>+2</c>, <c>inf</c>, <c>2.5abc</c> → 2.5); extra trailing columns
    /// are ignored. Fewer than 6 columns, a score with no numeric prefix (atof would silently read 0) or NaN throws
    /// <see cref="DataFormatException"/> naming the file and line.
    /// </summary>
    public static IEnumerable<RunEntry> Read(string path)
    {
        foreach (var (number, raw) in TextFiles.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 6)
                throw new DataFormatException(path, number, $"expected 6 columns (qid Q0 docid rank score tag), found {parts.Length}");
            int rank = int.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int r) ? r : 0;
            if (CNumber.Atof(parts[4]) is not { } score || double.IsNaN(score))
                throw new DataFormatException(path, number, $"score '{parts[4]}' is not a number");
            yield return new RunEntry(parts[0], parts[2], rank, score, parts[5]);
        }
    }

    /// <summary>Entries grouped by query id (ordinal), each list in file order.</summary>
    public static Dictionary<string, List<RunEntry>> ReadGrouped(string path) => Group(Read(path));

    /// <summary>Groups entries by query id (ordinal), keeping their order.</summary>
    public static Dictionary<string, List<RunEntry>> Group(IEnumerable<RunEntry> entries)
    {
        var byQuery = new Dictionary<string, List<RunEntry>>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!byQuery.TryGetValue(e.QueryId, out var list)) byQuery[e.QueryId] = list = [];
            list.Add(e);
        }
        return byQuery;
    }

    /// <summary>One run line. Scores are written in the shortest form that parses back to the same double.</summary>
    public static string FormatLine(RunEntry e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.QueryId} Q0 {e.DocumentId} {e.Rank} {e.Score:R} {e.Tag}");

    /// <summary>Writes the run atomically (readers never see half a file). Ids must not contain whitespace.</summary>
    public static async Task WriteAsync(string path, IEnumerable<RunEntry> entries, CancellationToken cancellationToken = default)
    {
        await AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            foreach (var e in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ContainsWhitespace(e.QueryId) || ContainsWhitespace(e.DocumentId) || ContainsWhitespace(e.Tag) || e.Tag.Length == 0)
                    throw new ArgumentException($"run entry for query '{e.QueryId}', document '{e.DocumentId}': ids and tag must be non-empty and contain no whitespace in a TREC run");
                await writer.WriteLineAsync(FormatLine(e));
            }
            await writer.FlushAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Synchronous variant of <see cref="WriteAsync"/>.</summary>
    public static void Write(string path, IEnumerable<RunEntry> entries) => WriteAsync(path, entries).GetAwaiter().GetResult();

    static bool ContainsWhitespace(string s) => s.Any(char.IsWhiteSpace);
}
