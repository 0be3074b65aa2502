using System.Reflection;

namespace HardNegatives.Experiments;

/// <summary>What made an artifact: recorded beside every stored artifact so any number can be traced back.</summary>
public sealed record Provenance(
    string SpecHash,
    int? Seed,
    string KitVersion,
    string GitCommit,
    IReadOnlyDictionary<string, string> PackageVersions,
    string Machine,
    DateTimeOffset CreatedUtc)
{
    /// <summary>Provenance for an artifact made now, in this process.</summary>
    public static Provenance Capture(string specHash, int? seed) => new(
        specHash, seed, CurrentKitVersion, CurrentGitCommit, CurrentPackageVersions,
        $"{Environment.OSVersion}; {Environment.ProcessorCount} cores; .NET {Environment.Version}", DateTimeOffset.UtcNow);

    /// <summary>The kit's informational version; the SDK appends the git commit (<c>+sha</c>) when built from a clone.</summary>
    public static string CurrentKitVersion { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The git commit the kit was built from, or <c>unknown</c>.</summary>
    public static string CurrentGitCommit { get; } =
        CurrentKitVersion.Contains('+') ? CurrentKitVersion[(CurrentKitVersion.IndexOf('+') + 1)..] : "unknown";

    /// <summary>Versions of the packages whose behaviour shapes results.</summary>
    public static IReadOnlyDictionary<string, string> CurrentPackageVersions { get; } = new[]
        {
            typeof(TorchSharp.torch).Assembly, typeof(Lucene.Net.Index.IndexWriter).Assembly,
            typeof(Microsoft.Extensions.AI.IChatClient).Assembly,
        }
        .ToDictionary(a => a.GetName().Name ?? "?", a => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? a.GetName().Version?.ToString() ?? "?");
}
