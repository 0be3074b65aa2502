using System.Text.Json;
using HardNegatives.Data;

namespace HardNegatives.Experiments;

/// <summary>A finished artifact: its folder and what made it.</summary>
public sealed record Artifact(string Stage, string Key, string Directory, Provenance Provenance, IReadOnlyDictionary<string, string> Summary)
{
    /// <summary>A file inside the artifact's folder.</summary>
    public string File(string name) => Path.Combine(Directory, name);
}

/// <summary>
/// Content-addressed store of stage outputs: <c>&lt;root&gt;/&lt;stage&gt;/&lt;key&gt;/</c>. An artifact is produced in its work
/// folder <c>.tmp-&lt;key&gt;</c> and renamed into place with its <c>artifact.json</c> only when complete, so a killed run never
/// leaves a half-written artifact, and the next run redoes exactly the missing ones. The work folder survives a failure on
/// purpose: a stage that checkpoints (training) or caches (generation) inside it resumes instead of starting over.
/// One process at a time may write to a store (<see cref="Lock"/>).
/// </summary>
public sealed class ArtifactStore(string root)
{
    const string MetadataFile = "artifact.json";
    public string Root { get; } = Path.GetFullPath(root);

    string PathOf(string stage, string key) => Path.Combine(Root, stage, key);

    /// <summary>The artifact if it is complete, else null.</summary>
    public Artifact? TryGet(string stage, string key)
    {
        var meta = Path.Combine(PathOf(stage, key), MetadataFile);
        if (!File.Exists(meta)) return null;
        var stored = JsonSerializer.Deserialize<StoredMetadata>(File.ReadAllText(meta), ExperimentSpecLoader.Json)!;
        return new Artifact(stage, key, PathOf(stage, key), stored.Provenance, stored.Summary);
    }

    /// <summary>Deletes an artifact (for <c>--force</c>).</summary>
    public void Remove(string stage, string key)
    {
        var dir = PathOf(stage, key);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// Runs <paramref name="produce"/> into a fresh temporary folder and publishes it atomically under (stage, key).
    /// <paramref name="produce"/> returns a small summary (metric values, counts) stored in the metadata.
    /// </summary>
    public async Task<Artifact> CreateAsync(string stage, string key, Provenance provenance,
        Func<string, Task<IReadOnlyDictionary<string, string>>> produce, string? stepId = null, KeyParts? parts = null)
    {
        var final = PathOf(stage, key);
        var work = WorkDirectory(stage, key);
        Directory.CreateDirectory(work);
        var summary = await produce(work);
        AtomicFile.WriteAllText(Path.Combine(work, MetadataFile),
            JsonSerializer.Serialize(new StoredMetadata(stage, key, provenance, summary, stepId, parts), ExperimentSpecLoader.Json));
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true); // an incomplete leftover without metadata
        Directory.Move(work, final);
        return new Artifact(stage, key, final, provenance, summary);
    }

    /// <summary>Where (stage, key) is produced before it is published; kept across failures for resumable stages.</summary>
    public string WorkDirectory(string stage, string key) => Path.Combine(Root, stage, $".tmp-{key}");

    /// <summary>
    /// Takes the store's writer lock for the life of the returned handle; a second writer gets a clear error, and so does a
    /// store that cannot be written (naming <paramref name="toMake"/>, the steps that need writing).
    /// </summary>
    public IDisposable Lock(IReadOnlyList<string>? toMake = null)
    {
        var path = Path.Combine(Root, ".lock");
        try
        {
            Directory.CreateDirectory(Root);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (UnauthorizedAccessException)
        {
            var steps = toMake is { Count: > 0 } ? $"{toMake.Count} step(s) are not stored yet (first: {toMake[0]}) and need writing" : "this run needs writing";
            throw new InvalidOperationException($"the store {Root} is read-only and {steps}; make it writable, " +
                "or point HN_HOME or --store at a writable folder (a store that holds every result is only read)");
        }
        catch (IOException e) when (e.Message.Contains("Read-only file system", StringComparison.Ordinal)) // EROFS: the error text is all .NET keeps
        {
            throw new InvalidOperationException($"the store {Root} is on a read-only file system and needs writing; point HN_HOME or --store at a writable folder");
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"another hn process is writing to the store {Root}; wait for it or use --store to pick another folder");
        }
    }

    /// <summary>The key parts of the newest stored artifact made for <paramref name="stepId"/> (under any key), or null.</summary>
    public KeyParts? LastPartsOf(string stage, string stepId)
    {
        var dir = Path.Combine(Root, stage);
        if (!Directory.Exists(dir)) return null;
        KeyParts? last = null;
        var newest = DateTime.MinValue;
        foreach (var meta in Directory.EnumerateDirectories(dir).Select(d => Path.Combine(d, MetadataFile)).Where(File.Exists))
        {
            StoredMetadata? stored;
            try { stored = JsonSerializer.Deserialize<StoredMetadata>(File.ReadAllText(meta), ExperimentSpecLoader.Json); }
            catch (JsonException) { continue; }
            var written = File.GetLastWriteTimeUtc(meta);
            if (stored?.StepId == stepId && stored.Parts is not null && written >= newest) { last = stored.Parts; newest = written; }
        }
        return last;
    }

    sealed record StoredMetadata(string Stage, string Key, Provenance Provenance, IReadOnlyDictionary<string, string> Summary,
        string? StepId = null, KeyParts? Parts = null);
}
