namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Finds a model folder from a path or a Hugging Face repo id (<c>Qwen/Qwen3-0.6B</c>) already in the local Hub cache:
/// <c>&lt;cache&gt;/models--Qwen--Qwen3-0.6B/snapshots/&lt;revision&gt;</c>, the revision named by <c>refs/main</c>.
/// Nothing is downloaded.
/// </summary>
public static class EmbeddedModelLocator
{
    /// <summary>Cache roots in Hugging Face's order: HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub.</summary>
    public static IReadOnlyList<string> DefaultCacheRoots()
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("HF_HUB_CACHE") is { Length: > 0 } hub) roots.Add(hub);
        if (Environment.GetEnvironmentVariable("HF_HOME") is { Length: > 0 } home) roots.Add(Path.Combine(home, "hub"));
        roots.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface", "hub"));
        return roots;
    }

    /// <summary>The folder for <paramref name="nameOrDir"/>; a named error listing where it looked otherwise.</summary>
    public static string Resolve(string nameOrDir, IEnumerable<string>? cacheRoots = null)
    {
        if (Directory.Exists(nameOrDir) || File.Exists(nameOrDir)) return nameOrDir;
        var roots = (cacheRoots ?? DefaultCacheRoots()).ToList();
        if (nameOrDir.Count(c => c == '/') == 1)
        {
            var repoFolder = "models--" + nameOrDir.Replace("/", "--");
            foreach (var root in roots)
            {
                var repo = Path.Combine(root, repoFolder);
                if (!Directory.Exists(repo)) continue;
                var refMain = Path.Combine(repo, "refs", "main");
                var snapshots = Path.Combine(repo, "snapshots");
                if (File.Exists(refMain) && Path.Combine(snapshots, File.ReadAllText(refMain).Trim()) is var pinned && Directory.Exists(pinned)) return pinned;
                if (Directory.Exists(snapshots) && Directory.GetDirectories(snapshots) is [var only]) return only;
            }
        }
        throw new DirectoryNotFoundException(
            $"model '{nameOrDir}' is neither a folder nor a Hugging Face repo id in the local Hub cache (looked in {string.Join(", ", roots)}); download it first, e.g. `huggingface-cli download {nameOrDir}`, or pass its folder.");
    }
}
