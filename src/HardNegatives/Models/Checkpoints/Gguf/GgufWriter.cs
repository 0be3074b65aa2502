using System.Text;
using HardNegatives.Data;

namespace HardNegatives.Models.Checkpoints.Gguf;

/// <summary>
/// Writes GGUF version 3 (ggml's <c>docs/gguf.md</c>): magic, version, tensor and metadata counts, metadata key/values,
/// tensor infos, then the tensor data, each tensor aligned to <c>general.alignment</c> (32). Float32 and float16 from floats; any known type as bytes.
/// Tensor data may be produced lazily, while the file is written (see <see cref="AddTensor(string, long[], Func{float[]}, GgmlType)"/>).
/// </summary>
public sealed class GgufWriter
{
    public const int Alignment = 32;
    readonly List<(string Key, GgufValueType Type, object Value)> _metadata = [];
    readonly List<(GgufTensorInfo Info, Func<byte[]> Data)> _tensors = [];

    public GgufWriter Add(string key, string value) => AddRaw(key, GgufValueType.String, value);
    public GgufWriter Add(string key, uint value) => AddRaw(key, GgufValueType.UInt32, value);
    public GgufWriter Add(string key, int value) => AddRaw(key, GgufValueType.Int32, value);
    public GgufWriter Add(string key, float value) => AddRaw(key, GgufValueType.Float32, value);
    public GgufWriter Add(string key, bool value) => AddRaw(key, GgufValueType.Bool, value);
    public GgufWriter Add(string key, IReadOnlyList<string> value) => AddRaw(key, GgufValueType.Array, (GgufValueType.String, (object)value));
    public GgufWriter Add(string key, IReadOnlyList<float> value) => AddRaw(key, GgufValueType.Array, (GgufValueType.Float32, (object)value));
    public GgufWriter Add(string key, IReadOnlyList<int> value) => AddRaw(key, GgufValueType.Array, (GgufValueType.Int32, (object)value));

    GgufWriter AddRaw(string key, GgufValueType type, object value)
    {
        if (_metadata.Any(m => m.Key == key)) throw new ArgumentException($"GGUF metadata key {key} given twice");
        _metadata.Add((key, type, value));
        return this;
    }

    /// <summary>Adds a tensor given in PyTorch shape order (row-major data); stored as <paramref name="type"/> (F32 or F16).</summary>
    public GgufWriter AddTensor(string name, long[] torchShape, float[] data, GgmlType type = GgmlType.F32)
    {
        if (torchShape.Aggregate(1L, (a, d) => a * d) != data.Length) throw new ArgumentException($"{name}: shape [{string.Join(", ", torchShape)}] does not hold {data.Length} values");
        return AddTensor(name, torchShape, () => data, type);
    }

    /// <summary>
    /// Adds a tensor whose values <paramref name="data"/> produces only when <see cref="Save"/> reaches it, so that a
    /// model is never held twice in memory: one tensor at a time is converted, encoded and written.
    /// </summary>
    public GgufWriter AddTensor(string name, long[] torchShape, Func<float[]> data, GgmlType type = GgmlType.F32)
    {
        if (type is not (GgmlType.F32 or GgmlType.F16)) throw new NotSupportedException($"writing {type} tensors is not supported (F32, F16)");
        var count = torchShape.Aggregate(1L, (a, d) => a * d);
        return AddTensorBytes(name, torchShape, type, () =>
        {
            var values = data();
            if (values.Length != count) throw new ArgumentException($"{name}: shape [{string.Join(", ", torchShape)}] does not hold {values.Length} values");
            return Encode(values, type);
        });
    }

    /// <summary>Adds a tensor whose data is already encoded as <paramref name="type"/> (any ggml type the reader knows).</summary>
    public GgufWriter AddTensorBytes(string name, long[] torchShape, GgmlType type, byte[] data)
    {
        var expected = new GgufTensorInfo(name, [.. torchShape.Reverse()], type, 0).ByteCount;
        if (expected != data.Length) throw new ArgumentException($"{name}: {type} [{string.Join(", ", torchShape)}] needs {expected} bytes, got {data.Length}");
        return AddTensorBytes(name, torchShape, type, () => data);
    }

    GgufWriter AddTensorBytes(string name, long[] torchShape, GgmlType type, Func<byte[]> data)
    {
        if (_tensors.Any(t => t.Info.Name == name)) throw new ArgumentException($"GGUF tensor {name} given twice");
        _tensors.Add((new GgufTensorInfo(name, [.. torchShape.Reverse()], type, 0), data));
        return this;
    }

    static byte[] Encode(float[] values, GgmlType type)
    {
        var bytes = new byte[values.Length * (type == GgmlType.F32 ? 4 : 2)];
        if (type == GgmlType.F32) Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        else for (var i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)values[i]);
        return bytes;
    }

    /// <summary>
    /// Writes the file atomically (a temporary sibling renamed over <paramref name="path"/>): the header first, with every
    /// tensor's offset computed from its shape and type, then each tensor's data as it is produced.
    /// </summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(0x46554747u); // "GGUF"
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, type, value) in _metadata)
        {
            WriteString(w, key);
            w.Write((uint)type);
            WriteValue(w, type, value);
        }
        ulong offset = 0;
        foreach (var (info, _) in _tensors)
        {
            WriteString(w, info.Name);
            w.Write((uint)info.Dims.Length);
            foreach (var d in info.Dims) w.Write((ulong)d);
            w.Write((uint)info.Type);
            w.Write(offset);
            offset = Align(offset + (ulong)info.ByteCount);
        }
        Pad(w);
        foreach (var (info, data) in _tensors)
        {
            var bytes = data();
            if (bytes.LongLength != info.ByteCount)
                throw new ArgumentException($"{info.Name}: {info.Type} [{string.Join(", ", info.TorchShape)}] needs {info.ByteCount} bytes, got {bytes.LongLength}");
            w.Write(bytes);
            Pad(w);
        }
    });

    static ulong Align(ulong n) => (n + Alignment - 1) / Alignment * Alignment;

    static void Pad(BinaryWriter w)
    {
        while (w.BaseStream.Position % Alignment != 0) w.Write((byte)0);
    }

    static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    static void WriteValue(BinaryWriter w, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Int32: w.Write((int)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Bool: w.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.Array:
                var (elementType, items) = ((GgufValueType, object))value;
                w.Write((uint)elementType);
                switch (items)
                {
                    case IReadOnlyList<string> s: w.Write((ulong)s.Count); foreach (var x in s) WriteString(w, x); break;
                    case IReadOnlyList<float> f: w.Write((ulong)f.Count); foreach (var x in f) w.Write(x); break;
                    case IReadOnlyList<int> n: w.Write((ulong)n.Count); foreach (var x in n) w.Write(x); break;
                }
                break;
            default: throw new NotSupportedException($"GGUF value type {type}");
        }
    }
}
