using System.Buffers.Binary;
using System.Text;

namespace HardNegatives.Models.Checkpoints.Gguf;

/// <summary>
/// Reads a GGUF file (versions 2 and 3): metadata (arrays as typed .NET arrays: <c>string[]</c>, <c>float[]</c>,
/// <c>int[]</c>, …) and tensor infos up front; tensor data on demand, converted to float32 (F32, F16, BF16, Q8_0).
/// </summary>
public sealed class GgufFile : IDisposable
{
    readonly FileStream _stream;
    readonly long _dataStart;

    GgufFile(string path, FileStream stream, Dictionary<string, object> metadata, List<GgufTensorInfo> tensors, long dataStart)
    {
        Path = path;
        _stream = stream;
        Metadata = metadata;
        Tensors = tensors;
        _dataStart = dataStart;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, object> Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>True when the file starts with the GGUF magic.</summary>
    public static bool IsGguf(string path)
    {
        if (!File.Exists(path)) return false;
        using var s = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return s.Read(magic) == 4 && magic.SequenceEqual("GGUF"u8);
    }

    public static GgufFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GGUF file not found: {path}", path);
        var stream = File.OpenRead(path);
        try
        {
            var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            if (r.ReadUInt32() != 0x46554747u) throw new InvalidDataException($"{path}: not a GGUF file (no GGUF magic)");
            var version = r.ReadUInt32();
            if (version is not (2 or 3)) throw new InvalidDataException($"{path}: GGUF version {version}; versions 2 and 3 are supported");
            var tensorCount = r.ReadUInt64();
            var kvCount = r.ReadUInt64();
            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            for (ulong i = 0; i < kvCount; i++)
            {
                var key = ReadString(r, path);
                metadata[key] = ReadValue(r, (GgufValueType)r.ReadUInt32(), path, key);
            }
            var tensors = new List<GgufTensorInfo>();
            for (ulong i = 0; i < tensorCount; i++)
            {
                var name = ReadString(r, path);
                var nDims = r.ReadUInt32();
                if (nDims > 4) throw new InvalidDataException($"{path}: tensor {name} has {nDims} dimensions (at most 4)");
                var dims = new long[nDims];
                for (var d = 0; d < nDims; d++) dims[d] = checked((long)r.ReadUInt64());
                var type = (GgmlType)r.ReadUInt32();
                tensors.Add(new GgufTensorInfo(name, dims, type, r.ReadUInt64()));
            }
            var alignment = metadata.TryGetValue("general.alignment", out var a) ? Convert.ToInt64(a) : 32;
            var dataStart = (stream.Position + alignment - 1) / alignment * alignment;
            return new GgufFile(path, stream, metadata, tensors, dataStart);
        }
        catch (EndOfStreamException)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path}: GGUF header is truncated");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>A metadata value converted to <typeparamref name="T"/>, or <paramref name="fallback"/> when absent.</summary>
    public T Get<T>(string key, T fallback) => Metadata.TryGetValue(key, out var v) ? (T)Convert.ChangeType(v, typeof(T)) : fallback;

    /// <summary>A required metadata value; a named error when absent.</summary>
    public T Require<T>(string key) => Metadata.TryGetValue(key, out var v) ? (T)Convert.ChangeType(v, typeof(T))
        : throw new InvalidDataException($"{Path}: GGUF metadata has no {key}");

    public GgufTensorInfo? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);

    /// <summary>The tensor's values as float32, row-major in <see cref="GgufTensorInfo.TorchShape"/>.</summary>
    public float[] ReadFloats(GgufTensorInfo info)
    {
        var bytes = new byte[info.ByteCount];
        _stream.Position = _dataStart + (long)info.Offset;
        _stream.ReadExactly(bytes);
        var result = new float[info.Count];
        switch (info.Type)
        {
            case GgmlType.F32:
                Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
                break;
            case GgmlType.F16:
                for (var i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(2 * i));
                break;
            case GgmlType.BF16:
                for (var i = 0; i < result.Length; i++) result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i)) << 16);
                break;
            case GgmlType.Q8_0:
                if (info.Count % 32 != 0) throw new InvalidDataException($"{Path}: Q8_0 tensor {info.Name} has {info.Count} values, not a multiple of 32");
                for (long block = 0; block < info.Count / 32; block++)
                {
                    var o = (int)(block * 34);
                    var scale = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(o));
                    for (var j = 0; j < 32; j++) result[block * 32 + j] = scale * (sbyte)bytes[o + 2 + j];
                }
                break;
            default:
                throw new NotSupportedException($"{Path}: tensor {info.Name} is ggml type {(uint)info.Type}; supported: F32, F16, BF16, Q8_0 (dequantised). Re-export or requantise the model to one of these.");
        }
        return result;
    }

    static string ReadString(BinaryReader r, string path)
    {
        var n = r.ReadUInt64();
        if (n > int.MaxValue) throw new InvalidDataException($"{path}: GGUF string of {n} bytes");
        return Encoding.UTF8.GetString(r.ReadBytes((int)n));
    }

    static object ReadValue(BinaryReader r, GgufValueType type, string path, string key) => type switch
    {
        GgufValueType.UInt8 => r.ReadByte(),
        GgufValueType.Int8 => r.ReadSByte(),
        GgufValueType.UInt16 => r.ReadUInt16(),
        GgufValueType.Int16 => r.ReadInt16(),
        GgufValueType.UInt32 => r.ReadUInt32(),
        GgufValueType.Int32 => r.ReadInt32(),
        GgufValueType.Float32 => r.ReadSingle(),
        GgufValueType.Bool => r.ReadByte() != 0,
        GgufValueType.String => ReadString(r, path),
        GgufValueType.UInt64 => r.ReadUInt64(),
        GgufValueType.Int64 => r.ReadInt64(),
        GgufValueType.Float64 => r.ReadDouble(),
        GgufValueType.Array => ReadArray(r, path, key),
        _ => throw new InvalidDataException($"{path}: metadata {key} has unknown GGUF type {(uint)type}"),
    };

    static object ReadArray(BinaryReader r, string path, string key)
    {
        var type = (GgufValueType)r.ReadUInt32();
        var n = checked((int)r.ReadUInt64());
        return type switch
        {
            GgufValueType.String => Enumerable.Range(0, n).Select(_ => ReadString(r, path)).ToArray(),
            GgufValueType.Float32 => Enumerable.Range(0, n).Select(_ => r.ReadSingle()).ToArray(),
            GgufValueType.Int32 => Enumerable.Range(0, n).Select(_ => r.ReadInt32()).ToArray(),
            GgufValueType.UInt32 => Enumerable.Range(0, n).Select(_ => r.ReadUInt32()).ToArray(),
            _ => Enumerable.Range(0, n).Select(_ => ReadValue(r, type, path, key)).ToArray(),
        };
    }

    public void Dispose() => _stream.Dispose();
}
