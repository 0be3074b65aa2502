namespace HardNegatives.Models.Hub;

/// <summary>
/// Turns a model argument into a local folder: an existing directory as is, else a Hub repo id whose config.json, weights
/// (<c>model.safetensors</c>, or the shards of <c>model.safetensors.index.json</c>) and tokenizer files are downloaded into the cache.
/// A name is sent to the Hub only in the form <c>owner/name</c> (or when the cache already holds it); offline
/// (<c>HN_OFFLINE</c>/<c>HF_HUB_OFFLINE</c>) it is served from the cache only.
/// </summary>
public static class ModelResolver
{
    /// <summary>Files fetched when present: tokenizer and sentence-transformers metadata.</summary>
    public static readonly string[] OptionalFiles =
        ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
         "config_sentence_transformers.json", "1_Pooling/config.json"];

    /// <summary>
    /// The Hub's legacy ids without an owner that the kit names (the paper's <c>distilbert-base-uncased</c>); the Hub
    /// redirects them to their owner's repo. Any other bare name must be a local folder or already in the cache.
    /// </summary>
    public static readonly IReadOnlySet<string> KnownBareHubIds = new HashSet<string>(StringComparer.Ordinal)
        { "distilbert-base-uncased", "bert-base-uncased" };

    /// <summary>True when <paramref name="name"/> may be asked of the Hub: <c>owner/name</c>, a known bare id, or a cached repo.</summary>
    public static bool IsHubName(string name, HfHubOptions? options = null) =>
        HfHub.IsOwnerNameId(name) || KnownBareHubIds.Contains(name) || HfHub.CachedRepoIds(options).Contains(name, StringComparer.Ordinal);

    public static async Task<string> ResolveAsync(string nameOrFolder, string revision = "main", HfHubOptions? options = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(nameOrFolder)) return nameOrFolder;
        if (Onnx.PretrainedModels.Resolve(nameOrFolder) is { } pretrained) return pretrained;
        if (nameOrFolder.StartsWith('.') || nameOrFolder.StartsWith('/') || nameOrFolder.Contains('\\'))
            throw new DirectoryNotFoundException($"model folder not found: {nameOrFolder}");
        // Only owner/name goes to the Hub: a misspelled local name fails here, not after a network round trip.
        if (!IsHubName(nameOrFolder, options))
            throw new DirectoryNotFoundException($"no such local model or Hub id: '{nameOrFolder}' is not a folder, not a kit model " +
                $"({string.Join(", ", Onnx.PretrainedModels.All.Select(m => m.Name))}) and not a Hub id of the form owner/name " +
                "(e.g. cross-encoder/ms-marco-MiniLM-L6-v2)");
        using var hub = new HfHub(options);
        var folder = await hub.SnapshotAsync(nameOrFolder, ["config.json"], OptionalFiles, revision, progress, cancellationToken);
        try { await hub.DownloadFileAsync(nameOrFolder, "model.safetensors", revision, progress, cancellationToken); }
        catch (HubFileNotFoundException)
        {
            // Sharded weights: the index names the shards.
            var index = await hub.DownloadFileAsync(nameOrFolder, Checkpoints.SafetensorsCheckpoint.IndexFileName, revision, progress, cancellationToken);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(index));
            foreach (var shard in doc.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct())
                await hub.DownloadFileAsync(nameOrFolder, shard, revision, progress, cancellationToken);
        }
        if (!File.Exists(Path.Combine(folder, "vocab.txt")) && !File.Exists(Path.Combine(folder, "tokenizer.json")))
            throw new FileNotFoundException($"{nameOrFolder} has neither vocab.txt nor tokenizer.json");
        return folder;
    }
}
