namespace HardNegatives.Data;

/// <summary>
/// The ids of a corpus seen so far, as 64-bit FNV-1a hashes (about 20 bytes an id, so MS MARCO's 8.8M fit in under
/// 200 MB). A repeated hash is confirmed by reading the file again up to that line, which happens only when a duplicate
/// is about to be reported; a true 64-bit collision (about one in 10^12 for ten million ids) is let through.
/// </summary>
sealed class CorpusIdSet(string path)
{
    readonly HashSet<ulong> _hashes = [];

    public int Count => _hashes.Count;

    /// <summary>Records <paramref name="id"/> read at <paramref name="line"/>; throws when the corpus already had it.</summary>
    public void Add(string id, long line)
    {
        if (_hashes.Add(Fnv1a(id))) return;
        foreach (var (number, parsed) in JsonlReader.ParseAll(path))
        {
            if (number >= line) break;
            if (parsed.Value?.Id == id)
                throw new DataFormatException(path, line, $"duplicate _id \"{id}\" (first at line {number}); ids must be unique (run `hn data validate` to list every problem)");
        }
    }

    static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }
}
