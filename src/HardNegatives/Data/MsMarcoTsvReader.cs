namespace HardNegatives.Data;

/// <summary>
/// Reads MS MARCO's original TSV files: <c>queries.*.tsv</c> (<c>qid\ttext</c>) and <c>collection.tsv</c>
/// (<c>pid\ttext</c>); <c>.gz</c> is read transparently. The qrels (<c>qid 0 pid 1</c>) are TREC format: <see cref="QrelsReader"/>.
/// </summary>
public static class MsMarcoTsvReader
{
    /// <summary>Streams queries from a <c>qid\ttext</c> file.</summary>
    public static IEnumerable<Query> ReadQueries(string path) => ReadPairs(path).Select(p => new Query(p.Id, p.Text));

    /// <summary>Streams passages from a <c>pid\ttext</c> file (8.8M lines for the full collection; never held in memory).</summary>
    public static IEnumerable<Document> ReadCollection(string path) => ReadPairs(path).Select(p => new Document(p.Id, "", p.Text));

    static IEnumerable<(string Id, string Text)> ReadPairs(string path)
    {
        foreach (var (number, line) in TextFiles.ReadLines(path))
        {
            if (line.Length == 0) continue;
            int tab = line.IndexOf('\t');
            if (tab <= 0) throw new DataFormatException(path, number, "expected \"id<TAB>text\" (MS MARCO TSV)");
            yield return (line[..tab].Trim(), line[(tab + 1)..]);
        }
    }
}
