namespace HardNegatives.Models.Hub;

/// <summary>
/// Turns a model argument into a local folder: an existing directory as is, else a Hub repo id whose config.json, weights
/// (<c>model.safetensors</c>, or the shards of <c>model.safetensors.index.json</c>) and tokenizer files are downloaded into the cache.
/// </summary>
public static class ModelResolver
{
    /// <summary>Files fetched when present: tokenizer and sentence-transformers metadata.</summary>
    public static readonly string[] OptionalFiles =
        ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
         "config_sentence_transformers.json", "1_Pooling/config.json"];

    public static async Task<string> ResolveAsync(string nameOrFolder, string revision = "main", HfHubOptions? options = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(nameOrFolder)) return nameOrFolder;
        if (Onnx.PretrainedModels.Resolve(nameOrFolder) is { } pretrained) return pretrained;
        if (nameOrFolder.StartsWith('.') || nameOrFolder.StartsWith('/') || nameOrFolder.Contains('\\'))
            throw new DirectoryNotFoundException($"model folder not found: {nameOrFolder}");
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
