using HardNegatives.Data;
using HardNegatives.Models.Checkpoints;
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
            throw new FileNotFoundException($"checkpoint not found: {path} (expected a llama2.c .bin file, a .gguf file or a Hugging Face model folder)", path);
        var (config, weights) = Read(path);
        try { return new DecoderModel(config, weights, device, dtype); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
    }

    /// <summary>Config and tensors (HF names) of a llama2.c <c>.bin</c>, a <c>.gguf</c> file or a model folder.</summary>
    public static (DecoderConfig Config, Dictionary<string, Tensor> Weights) Read(string path) =>
        Llama2cCheckpoint.IsLlama2cFile(path) ? Llama2cCheckpoint.Read(path)
        : File.Exists(path) && Models.Checkpoints.Gguf.GgufFile.IsGguf(path) ? GgufCheckpoint.Read(path)
        : ReadFolder(path);

    /// <summary>Reads config and all tensors (stored dtype, CPU) of a model folder, following a shard index when present.</summary>
    public static (DecoderConfig Config, Dictionary<string, Tensor> Weights) ReadFolder(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"model folder not found: {dir}");
        var configPath = Path.Combine(dir, "config.json");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{dir}: no config.json; a Hugging Face model folder is expected.", configPath);
        var config = DecoderConfig.Load(configPath);
        // Tensors keep their stored dtype (bf16 checkpoints stay bf16 until the model casts them once).
        using var checkpoint = SafetensorsCheckpoint.Open(dir);
        var weights = new Dictionary<string, Tensor>();
        foreach (var name in checkpoint.Names) weights[name] = checkpoint.Read(name);
        return (config, weights);
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> (the model's dtype) in Hugging Face layout.</summary>
    public static void Save(DecoderModel model, string dir)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "config.json"), model.Config.ToJson());
        using var scope = NewDisposeScope();
        var tensors = DecoderTensorLayout.ToCheckpoint(model.Config, model.Weights);
        SafetensorsWriter.Save(Path.Combine(dir, "model.safetensors"), tensors);
    }
}
