using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using HardNegatives.Data;
using static TorchSharp.torch;

namespace HardNegatives.Models.Checkpoints;

/// <summary>Writes tensors to a <c>.safetensors</c> file (atomically), readable by Hugging Face's <c>safetensors</c> library.</summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Saves <paramref name="tensors"/> by name, in name order, with an 8-byte-aligned header (padded with spaces as the reference
    /// writer does) and <c>__metadata__ = {"format": "pt"}</c> plus <paramref name="metadata"/>. Tensors may live on any device.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var dupes = ordered.GroupBy(kv => kv.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0) throw new ArgumentException($"duplicate tensor names: {string.Join(", ", dupes)}");
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        var meta = new Dictionary<string, string> { ["format"] = "pt" };
        if (metadata is not null) foreach (var (k, v) in metadata) meta[k] = v;
        header["__metadata__"] = meta;
        long offset = 0;
        foreach (var (name, t) in ordered)
        {
            long bytes = t.numel() * t.ElementSize;
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = SafetensorsDType.FromScalarType(t.dtype),
                ["shape"] = t.shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, t) in ordered)
            {
                if (t.numel() == 0) continue;
                using var cpu = t.detach().cpu().contiguous();
                stream.Write(cpu.bytes);
            }
        });
    }

    /// <summary>Convenience overload for a dictionary.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, tensors.AsEnumerable(), metadata);
}
