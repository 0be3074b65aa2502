using System.Text.Json.Nodes;
using HardNegatives.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>Hugging Face model folders: <c>config.json</c> plus <c>model.safetensors</c> or shards listed in <c>model.safetensors.index.json</c>.</summary>
public static class HfCheckpoint
{
    /// <summary>Loads a decoder from a model folder (or a llama2.c <c>.bin</c> file) onto <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public static DecoderModel Load(string path, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"checkpoint not found: {path} (expected a llama2.c .bin file or a Hugging Face model folder)", path);
        var (config, weights) = Llama2cCheckpoint.IsLlama2cFile(path) ? Llama2cCheckpoint.Read(path) : ReadFolder(path);
        try { return new DecoderModel(config, weights, device, dtype); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
    }

    /// <summary>Reads config and all tensors (float32, CPU) of a model folder, following a shard index when present.</summary>
    public static (DecoderConfig Config, Dictionary<string, Tensor> Weights) ReadFolder(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"model folder not found: {dir}");
        var configPath = Path.Combine(dir, "config.json");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{dir}: no config.json; a Hugging Face model folder is expected.", configPath);
        var config = DecoderConfig.Load(configPath);
        var index = Path.Combine(dir, "model.safetensors.index.json");
        var single = Path.Combine(dir, "model.safetensors");
        var weights = new Dictionary<string, Tensor>();
        if (File.Exists(index))
        {
            var map = (JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject)
                ?? throw new InvalidDataException($"{index}: no \"weight_map\" object");
            foreach (var shard in map.Select(kv => kv.Value!.GetValue<string>()).Distinct())
            {
                var shardPath = Path.Combine(dir, shard);
                if (!File.Exists(shardPath)) throw new FileNotFoundException($"{index} lists shard {shard}, which is missing from {dir}", shardPath);
                foreach (var (name, t) in SafetensorsFile.Read(shardPath)) weights[name] = t;
            }
            var absent = map.Select(kv => kv.Key).Where(n => !weights.ContainsKey(n)).ToList();
            if (absent.Count > 0) throw new InvalidDataException($"{index}: tensors listed but not found in their shards: {string.Join(", ", absent.Take(10))}");
        }
        else if (File.Exists(single)) weights = SafetensorsFile.Read(single);
        else throw new FileNotFoundException($"{dir}: neither model.safetensors nor model.safetensors.index.json found", single);
        return (config, weights);
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> (float32) in Hugging Face layout.</summary>
    public static void Save(DecoderModel model, string dir)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "config.json"), model.Config.ToJson());
        using var scope = NewDisposeScope();
        var tensors = DecoderTensorLayout.ToCheckpoint(model.Config, model.Weights);
        SafetensorsFile.Write(Path.Combine(dir, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }
}
