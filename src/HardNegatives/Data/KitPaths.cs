namespace HardNegatives.Data;

/// <summary>Where the kit keeps things: the cache (<c>HN_HOME</c>) and the data bundled with every build.</summary>
public static class KitPaths
{
    /// <summary>The cache root: <c>$HN_HOME</c>, else <c>$XDG_CACHE_HOME/hardnegatives</c>, else <c>~/.cache/hardnegatives</c>.</summary>
    public static string Home =>
        Environment.GetEnvironmentVariable("HN_HOME") is { Length: > 0 } home ? Path.GetFullPath(home)
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "hardnegatives");

    /// <summary>Downloaded datasets live here, one folder per registry name.</summary>
    public static string DatasetCache => Path.Combine(Home, "datasets");

    /// <summary>
    /// The data bundled with the kit (bundled datasets, vocabularies): <c>$HN_BUNDLED_DATA</c>, else <c>hn-data</c> next to
    /// the kit's assembly (a build's output), else the package's <c>contentFiles/any/any/hn-data</c> when the kit was loaded
    /// from its NuGet package (a notebook kernel loads <c>lib/net10.0/HardNegatives.dll</c> from the NuGet cache).
    /// </summary>
    public static string BundledData =>
        Environment.GetEnvironmentVariable("HN_BUNDLED_DATA") is { Length: > 0 } dir ? dir : BundledDataNextTo(AssemblyFolder);

    /// <summary>Where <see cref="BundledData"/> lies for an assembly in <paramref name="assemblyFolder"/> (a bin folder or a package's lib/TFM folder).</summary>
    public static string BundledDataNextTo(string assemblyFolder)
    {
        var beside = Path.Combine(assemblyFolder, "hn-data");
        if (Directory.Exists(beside)) return beside;
        var packageRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(assemblyFolder).TrimEnd(Path.DirectorySeparatorChar)));
        var inPackage = packageRoot is null ? null : Path.Combine(packageRoot, "contentFiles", "any", "any", "hn-data");
        return inPackage is not null && Directory.Exists(inPackage) ? inPackage : beside;
    }

    static string AssemblyFolder => Path.GetDirectoryName(typeof(KitPaths).Assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory;

    /// <summary>The bert-base-uncased WordPiece vocabulary (also distilbert-base-uncased's).</summary>
    public static string BertBaseUncasedVocab => Path.Combine(BundledData, "vocab", "bert-base-uncased", "vocab.txt");

    /// <summary>
    /// karpathy's tinyllamas stories260K (llama2.c format, MIT): <c>stories260K.bin</c> and its tokenizer <c>tok512.bin</c>
    /// (data-cards/tinyllamas-stories260K.md).
    /// </summary>
    public static string TinyStories260K => Path.Combine(BundledData, "models", "tinyllamas-stories260K");

    /// <summary>
    /// True when <c>HN_OFFLINE</c> is set to 1/true/yes/on: nothing in the kit touches the network (dataset downloads, the
    /// Hugging Face Hub, generation endpoints other than this machine's), and anything that would have to says what is
    /// missing instead.
    /// </summary>
    public static bool Offline => IsOn("HN_OFFLINE");

    /// <summary>True when the environment variable <paramref name="name"/> is 1/true/yes/on (any case).</summary>
    public static bool IsOn(string name) =>
        Environment.GetEnvironmentVariable(name)?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";
}
