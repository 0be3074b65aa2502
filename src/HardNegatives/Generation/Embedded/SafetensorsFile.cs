using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HardNegatives.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Minimal safetensors reading and writing for decoder checkpoints: an 8-byte little-endian header length, a JSON header
/// mapping names to {dtype, shape, data_offsets}, then the raw little-endian bytes. Reads F32, F16 and BF16 (into float32);
/// writes F32. (Kept private to the embedded decoder until the shared Models/Checkpoints reader lands.)
/// </summary>
internal static class SafetensorsFile
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lenBytes = stackalloc byte[8];
        stream.ReadExactly(lenBytes);
        var headerLen = BinaryPrimitives.ReadInt64LittleEndian(lenBytes);
        if (headerLen <= 0 || headerLen > 100_000_000 || 8 + headerLen > stream.Length)
            throw new InvalidDataException($"{path}: not a safetensors file (header length {headerLen})");
        var headerBytes = new byte[headerLen];
        stream.ReadExactly(headerBytes);
        var header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new InvalidDataException($"{path}: header is not a JSON object");
        var dataStart = 8 + headerLen;
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__" || node is not JsonObject info) continue;
            var dtype = info["dtype"]!.GetValue<string>();
            var shape = info["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = info["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var count = shape.Aggregate(1L, (a, d) => a * d);
            var width = dtype switch { "F32" => 4, "F16" or "BF16" => 2, _ => throw new InvalidDataException($"{path}: tensor {name} has dtype {dtype}; only F32, F16 and BF16 are supported") };
            if (offsets[1] - offsets[0] != count * width)
                throw new InvalidDataException($"{path}: tensor {name} spans {offsets[1] - offsets[0]} bytes, expected {count * width} for {dtype} [{string.Join(", ", shape)}]");
            var raw = new byte[offsets[1] - offsets[0]];
            stream.Position = dataStart + offsets[0];
            stream.ReadExactly(raw);
            var values = new float[count];
            switch (dtype)
            {
                case "F32": MemoryMarshal.Cast<byte, float>(raw).CopyTo(values); break;
                case "F16": { var h = MemoryMarshal.Cast<byte, Half>(raw); for (var i = 0; i < count; i++) values[i] = (float)h[i]; break; }
                default: { var u = MemoryMarshal.Cast<byte, ushort>(raw); for (var i = 0; i < count; i++) values[i] = BitConverter.Int32BitsToSingle(u[i] << 16); break; }
            }
            result[name] = tensor(values, shape);
        }
        return result;
    }

    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is not null) header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        long offset = 0;
        var data = new List<float[]>();
        foreach (var name in names)
        {
            var t = tensors[name].to(ScalarType.Float32, CPU).contiguous();
            var values = t.data<float>().ToArray();
            data.Add(values);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + 4L * values.Length),
            };
            offset += 4L * values.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8; // spec: header may be padded with spaces to align the data
        AtomicFile.Write(path, s =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(len, padded);
            s.Write(len);
            s.Write(json);
            for (var i = json.Length; i < padded; i++) s.WriteByte((byte)' ');
            foreach (var values in data) s.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        });
    }
}
