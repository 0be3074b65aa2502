namespace HardNegatives.Models.Checkpoints.Gguf;

/// <summary>GGUF metadata value types (ggml's <c>gguf_type</c>).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9,
    UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>The ggml tensor types this kit reads or writes (ggml's <c>ggml_type</c> numbers).</summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    /// <summary>Blocks of 32 values: one float16 scale, then 32 int8 (34 bytes).</summary>
    Q8_0 = 8,
    BF16 = 30,
}

/// <summary>One tensor's entry in a GGUF file: ggml dimension order (<c>Dims[0]</c> varies fastest), type, data offset.</summary>
public sealed record GgufTensorInfo(string Name, long[] Dims, GgmlType Type, ulong Offset)
{
    /// <summary>Number of values.</summary>
    public long Count => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>The PyTorch/Hugging Face shape: the ggml dimensions reversed.</summary>
    public long[] TorchShape => [.. Dims.Reverse()];

    /// <summary>Bytes of data.</summary>
    public long ByteCount => Type switch
    {
        GgmlType.F32 => Count * 4,
        GgmlType.F16 or GgmlType.BF16 => Count * 2,
        GgmlType.Q8_0 => Count / 32 * 34,
        _ => throw new NotSupportedException($"ggml type {Type}"),
    };
}
