using System.Text.Json;
using static TorchSharp.torch;

namespace HardNegatives.Models.Checkpoints;

/// <summary>
/// A model's weights in one <c>model.safetensors</c> or sharded as <c>model.safetensors.index.json</c> (its <c>weight_map</c>
/// names the shard of each tensor). Tensors are read by name; shards are opened lazily and kept open until disposal.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    /// <summary>The single-file name Hugging Face uses.</summary>
    public const string SingleFileName = "model.safetensors";
    /// <summary>The shard index name Hugging Face uses.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    readonly Dictionary<string, string> _shardOf; // tensor name → shard path
    readonly Dictionary<string, SafetensorsFile> _open = new(StringComparer.Ordinal);
    readonly object _gate = new();

    SafetensorsCheckpoint(string source, Dictionary<string, string> shardOf)
    {
        Source = source;
        _shardOf = shardOf;
    }

    /// <summary>The file or index this checkpoint was opened from.</summary>
    public string Source { get; }

    /// <summary>All tensor names.</summary>
    public IReadOnlyCollection<string> Names => _shardOf.Keys;

    /// <summary>The shard files, in name order.</summary>
    public IReadOnlyList<string> Shards => [.. _shardOf.Values.Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// Opens a <c>.safetensors</c> file, a <c>.index.json</c>, or a folder holding <c>model.safetensors</c> or
    /// <c>model.safetensors.index.json</c>.
    /// </summary>
    public static SafetensorsCheckpoint Open(string path)
    {
        if (Directory.Exists(path))
        {
            var single = Path.Combine(path, SingleFileName);
            var index = Path.Combine(path, IndexFileName);
            if (File.Exists(single)) path = single;
            else if (File.Exists(index)) path = index;
            else throw new FileNotFoundException($"{path} has neither {SingleFileName} nor {IndexFileName}", single);
        }
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return OpenIndex(path);
        var file = SafetensorsFile.Open(path);
        var checkpoint = new SafetensorsCheckpoint(path, file.Entries.Keys.ToDictionary(k => k, _ => path, StringComparer.Ordinal));
        checkpoint._open[path] = file;
        return checkpoint;
    }

    static SafetensorsCheckpoint OpenIndex(string indexPath)
    {
        if (!File.Exists(indexPath)) throw new FileNotFoundException($"shard index not found: {indexPath}", indexPath);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{indexPath}: no weight_map object; is this a model.safetensors.index.json?");
        var dir = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shardOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in map.EnumerateObject())
        {
            var shard = p.Value.GetString() ?? throw new InvalidDataException($"{indexPath}: weight_map.{p.Name} is not a file name");
            if (Path.IsPathRooted(shard) || shard.Contains("..")) throw new InvalidDataException($"{indexPath}: shard name '{shard}' must be a plain file name");
            shardOf[p.Name] = Path.Combine(dir, shard);
        }
        var missing = shardOf.Values.Distinct().Where(s => !File.Exists(s)).ToList();
        if (missing.Count > 0) throw new FileNotFoundException($"{indexPath}: missing shard(s) {string.Join(", ", missing.Select(Path.GetFileName))}", missing[0]);
        return new SafetensorsCheckpoint(indexPath, shardOf);
    }

    /// <summary>True when the checkpoint has a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _shardOf.ContainsKey(name);

    /// <summary>The header entry of tensor <paramref name="name"/> (dtype, shape).</summary>
    public SafetensorsEntry Entry(string name)
    {
        var file = Shard(name);
        return file.Entries.TryGetValue(name, out var e) ? e
            : throw new InvalidDataException($"{Source} maps '{name}' to {Path.GetFileName(file.FilePath)}, which lacks it");
    }

    /// <summary>Reads tensor <paramref name="name"/> (caller owns it).</summary>
    public Tensor Read(string name, Device? device = null)
    {
        _ = Entry(name);
        return Shard(name).Read(name, device);
    }

    SafetensorsFile Shard(string name)
    {
        if (!_shardOf.TryGetValue(name, out var path)) throw new KeyNotFoundException($"{Source} has no tensor '{name}'");
        lock (_gate)
        {
            if (!_open.TryGetValue(path, out var file)) _open[path] = file = SafetensorsFile.Open(path);
            return file;
        }
    }

    public void Dispose()
    {
        foreach (var f in _open.Values) f.Dispose();
        _open.Clear();
    }
}
