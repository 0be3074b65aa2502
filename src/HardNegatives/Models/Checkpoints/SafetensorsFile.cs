using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models.Checkpoints;

/// <summary>One tensor's header entry: dtype name as in the format (<c>F32</c>, <c>BF16</c>, …), shape, byte range in the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// Reads a <c>.safetensors</c> file (Hugging Face's format: 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data). The header is validated on open (ranges in bounds,
/// contiguous, sizes matching shape × dtype); tensors are read on demand by name.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    const long MaxHeaderBytes = 100_000_000; // the reference implementation's limit
    readonly FileStream _stream;
    readonly long _dataStart;

    SafetensorsFile(string path, FileStream stream, long dataStart, Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        FilePath = path;
        _stream = stream;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string FilePath { get; }

    /// <summary>Every tensor's entry by name, in header order.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>The optional <c>__metadata__</c> string map (e.g. <c>format: pt</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens <paramref name="path"/> and parses and checks its header.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        try
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            if (RandomAccess.Read(stream.SafeFileHandle, lengthBytes, 0) != 8) throw Bad(path, "shorter than the 8-byte header length");
            long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > stream.Length)
                throw Bad(path, $"header length {headerLength} is impossible for a file of {stream.Length} bytes");
            var header = new byte[headerLength];
            if (RandomAccess.Read(stream.SafeFileHandle, header, 8) != headerLength) throw Bad(path, "truncated header");
            long dataStart = 8 + headerLength;
            var (entries, metadata) = ParseHeader(path, header, stream.Length - dataStart);
            return new SafetensorsFile(path, stream, dataStart, entries, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    static InvalidDataException Bad(string path, string problem) => new($"{path}: not a valid safetensors file: {problem}");

    static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Bad(path, $"header is not JSON ({e.Message})"); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                if (property.Value.ValueKind != JsonValueKind.Object) throw Bad(path, "__metadata__ is not an object");
                foreach (var m in property.Value.EnumerateObject())
                    metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Bad(path, $"__metadata__.{m.Name} is not a string");
                continue;
            }
            var v = property.Value;
            if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("dtype", out var dtype) || !v.TryGetProperty("shape", out var shape)
                || !v.TryGetProperty("data_offsets", out var offsets) || offsets.GetArrayLength() != 2)
                throw Bad(path, $"tensor '{property.Name}' lacks dtype, shape or data_offsets [begin, end]");
            var entry = new SafetensorsEntry(property.Name, dtype.GetString()!, [.. shape.EnumerateArray().Select(d => d.GetInt64())],
                offsets[0].GetInt64(), offsets[1].GetInt64());
            long expected = entry.ElementCount * SafetensorsDType.ByteSize(entry.DType);
            if (entry.Begin < 0 || entry.End < entry.Begin || entry.End > dataLength)
                throw Bad(path, $"tensor '{entry.Name}' byte range [{entry.Begin}, {entry.End}) lies outside the {dataLength}-byte data section");
            if (entry.ByteLength != expected)
                throw Bad(path, $"tensor '{entry.Name}' has {entry.ByteLength} bytes but {entry.DType}[{string.Join(",", entry.Shape)}] needs {expected}");
            entries.Add(entry.Name, entry);
        }
        // The format requires the tensors to tile the data section without gaps or overlaps.
        long cursor = 0;
        foreach (var e in entries.Values.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin != cursor) throw Bad(path, $"tensor '{e.Name}' starts at byte {e.Begin}, expected {cursor} (gap or overlap)");
            cursor = e.End;
        }
        if (cursor != dataLength) throw Bad(path, $"data section has {dataLength} bytes but the tensors cover {cursor}");
        return (entries, metadata);
    }

    /// <summary>True when the file has a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => Entries.ContainsKey(name);

    /// <summary>The raw little-endian bytes of tensor <paramref name="name"/>.</summary>
    public byte[] ReadBytes(string name)
    {
        var e = Entry(name);
        var bytes = new byte[e.ByteLength];
        ReadInto(e, bytes);
        return bytes;
    }

    /// <summary>Reads tensor <paramref name="name"/> as a new CPU tensor of its stored dtype (moved to <paramref name="device"/> if given). The caller owns it.</summary>
    public Tensor Read(string name, Device? device = null)
    {
        var e = Entry(name);
        if (e.ByteLength > int.MaxValue) throw new NotSupportedException($"{FilePath}: tensor '{name}' is {e.ByteLength} bytes; tensors over 2 GiB are not supported");
        var t = empty(e.Shape, SafetensorsDType.ToScalarType(e.DType, FilePath, name));
        if (e.ByteLength > 0) ReadInto(e, t.bytes);
        if (device is null || device.type == DeviceType.CPU) return t;
        using (t) return t.to(device);
    }

    SafetensorsEntry Entry(string name) => Entries.TryGetValue(name, out var e) ? e
        : throw new KeyNotFoundException($"{FilePath} has no tensor '{name}'");

    void ReadInto(SafetensorsEntry e, Span<byte> destination)
    {
        long offset = _dataStart + e.Begin;
        while (destination.Length > 0)
        {
            int n = RandomAccess.Read(_stream.SafeFileHandle, destination, offset);
            if (n <= 0) throw Bad(FilePath, $"unexpected end of file reading '{e.Name}'");
            destination = destination[n..];
            offset += n;
        }
    }

    public void Dispose() => _stream.Dispose();
}
