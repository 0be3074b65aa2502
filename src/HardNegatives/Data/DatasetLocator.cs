namespace HardNegatives.Data;

/// <summary>Turns what a user typed (a bundled name, a cached registry name, or a folder) into a <see cref="BeirDataset"/>.</summary>
public static class DatasetLocator
{
    /// <summary>Names of the datasets bundled with the kit.</summary>
    public static IReadOnlyList<string> BundledNames =>
        Directory.Exists(Path.Combine(KitPaths.BundledData, "bundled"))
            ? Directory.GetDirectories(Path.Combine(KitPaths.BundledData, "bundled")).Select(Path.GetFileName).OfType<string>().Order().ToList()
            : [];

    /// <summary>Names of the datasets downloaded into the cache.</summary>
    public static IReadOnlyList<string> CachedNames =>
        Directory.Exists(KitPaths.DatasetCache)
            ? Directory.GetDirectories(KitPaths.DatasetCache).Where(d => TextFiles.FindPlainOrGzip(Path.Combine(d, "corpus.jsonl")) is not null)
                .Select(Path.GetFileName).OfType<string>().Order().ToList()
            : [];

    /// <summary>Resolves a folder path first, then a cached download, then a bundled dataset.</summary>
    public static BeirDataset Open(string nameOrDirectory)
    {
        if (Directory.Exists(nameOrDirectory)) return OpenFolder(nameOrDirectory, null);
        var cached = Path.Combine(KitPaths.DatasetCache, nameOrDirectory);
        if (Directory.Exists(cached)) return OpenFolder(cached, nameOrDirectory);
        var bundled = Path.Combine(KitPaths.BundledData, "bundled", nameOrDirectory);
        if (Directory.Exists(bundled)) return OpenFolder(bundled, nameOrDirectory);
        var remedy = DatasetRegistry.TryFind(nameOrDirectory) is { } entry
            ? $"run `hn data fetch {entry.Name}` to download it"
            : $"downloadable: {string.Join(", ", DatasetRegistry.All.Select(e => e.Name))}; see `hn data list`";
        throw new DirectoryNotFoundException(
            $"dataset '{nameOrDirectory}' is neither a folder, nor downloaded ({KitPaths.DatasetCache}), nor bundled " +
            $"(bundled: {string.Join(", ", BundledNames)}); {remedy}");
    }

    /// <summary>Opens a BEIR folder; a folder of BEIR folders (CQADupStack's subforums) gets a message naming them.</summary>
    static BeirDataset OpenFolder(string directory, string? name)
    {
        if (TextFiles.FindPlainOrGzip(Path.Combine(directory, "corpus.jsonl")) is null)
        {
            var inner = Directory.GetDirectories(directory).Where(d => TextFiles.FindPlainOrGzip(Path.Combine(d, "corpus.jsonl")) is not null)
                .Select(d => $"{name ?? directory}/{Path.GetFileName(d)}").Order(StringComparer.Ordinal).ToList();
            if (inner.Count > 0)
                throw new DirectoryNotFoundException($"{Path.GetFullPath(directory)} holds {inner.Count} datasets, not one: open one of {string.Join(", ", inner)}");
        }
        return new BeirDataset(directory, name);
    }
}
