namespace HardNegatives.Interactive.Runner;

/// <summary>
/// The assemblies notebook code compiles against: everything the host process can load (the runtime's trusted platform
/// assemblies, which for <c>hn</c> and the tests include the kit and all of its packages).
/// </summary>
static class KernelReferences
{
    static readonly Lazy<IReadOnlyList<string>> All = new(() =>
    {
        // Make sure the kit's assemblies are in the list even in hosts that load them lazily.
        _ = typeof(HardNegatives.Data.BeirDataset).Assembly;
        _ = typeof(KitFormatters).Assembly;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location);
        return tpa.Concat(loaded).Where(File.Exists)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .ToList();
    });

    public static IReadOnlyList<string> Paths => All.Value;

    /// <summary>The runtime's own folder (shared framework); F# finds those itself.</summary>
    public static string FrameworkDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    /// <summary>References outside the shared framework: the kit and its packages.</summary>
    public static IEnumerable<string> NonFramework =>
        Paths.Where(p => !Path.GetDirectoryName(p)!.Equals(FrameworkDirectory, StringComparison.Ordinal));
}
