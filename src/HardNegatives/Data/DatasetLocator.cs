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
        if (Directory.Exists(nameOrDirectory)) return new BeirDataset(nameOrDirectory);
        var cached = Path.Combine(KitPaths.DatasetCache, nameOrDirectory);
        if (Directory.Exists(cached)) return new BeirDataset(cached, nameOrDirectory);
        var bundled = Path.Combine(KitPaths.BundledData, "bundled", nameOrDirectory);
        if (Directory.Exists(bundled)) return new BeirDataset(bundled, nameOrDirectory);
        throw new DirectoryNotFoundException(
            $"dataset '{nameOrDirectory}' is neither a folder, nor downloaded ({KitPaths.DatasetCache}), nor bundled " +
            $"(bundled: {string.Join(", ", BundledNames)}); run `hn data fetch {nameOrDirectory}` or `hn data list`");
    }
}
