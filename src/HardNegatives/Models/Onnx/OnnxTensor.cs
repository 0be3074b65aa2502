using System.Runtime.InteropServices;
using HardNegatives.Models.Onnx.Proto;

namespace HardNegatives.Models.Onnx;

/// <summary>A constant tensor of an ONNX graph (an initializer or a Constant node's value), decoded to float32 or int64.</summary>
/// <param name="Name">Its name in the graph.</param>
/// <param name="Shape">Its dims ([] for a scalar).</param>
/// <param name="Floats">Values of a floating tensor (FLOAT, DOUBLE, FLOAT16 widened/narrowed to float32), else null.</param>
/// <param name="Ints">Values of an integer tensor (INT64, INT32), else null.</param>
public sealed record OnnxTensor(string Name, long[] Shape, float[]? Floats, long[]? Ints)
{
    // ONNX TensorProto.DataType values.
    const int Float = 1, Int32 = 6, Int64 = 7, Float16 = 10, Double = 11;

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public bool IsFloat => Floats is not null;

    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Decodes <paramref name="t"/> (raw_data or the typed fields); other element types decode to neither floats nor ints.</summary>
    internal static OnnxTensor From(TensorProto t, string? name = null)
    {
        name ??= t.Name;
        if (t.DataLocation == 1 || t.ExternalData.Count > 0)
            throw new InvalidDataException($"ONNX tensor '{name}' keeps its data in an external file; re-export with the weights inside the .onnx file (onnx.save(model, path, save_as_external_data=False))");
        var shape = t.Dims.ToArray();
        var raw = t.RawData.Span;
        float[]? floats = null;
        long[]? ints = null;
        switch (t.DataType)
        {
            case Float: floats = raw.Length > 0 ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : [.. t.FloatData]; break;
            case Double: floats = raw.Length > 0 ? [.. MemoryMarshal.Cast<byte, double>(raw).ToArray().Select(d => (float)d)] : [.. t.DoubleData.Select(d => (float)d)]; break;
            case Float16:
                floats = raw.Length > 0 ? [.. MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (float)h)]
                    : [.. t.Int32Data.Select(bits => (float)BitConverter.UInt16BitsToHalf((ushort)bits))];
                break;
            case Int64: ints = raw.Length > 0 ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : [.. t.Int64Data]; break;
            case Int32: ints = raw.Length > 0 ? [.. MemoryMarshal.Cast<byte, int>(raw).ToArray().Select(i => (long)i)] : [.. t.Int32Data.Select(i => (long)i)]; break;
        }
        var result = new OnnxTensor(name, shape, floats, ints);
        long n = floats?.Length ?? ints?.Length ?? result.Count;
        if (n != result.Count) throw new InvalidDataException($"ONNX tensor '{name}' has {n} values for shape {result.ShapeText}");
        return result;
    }
}
