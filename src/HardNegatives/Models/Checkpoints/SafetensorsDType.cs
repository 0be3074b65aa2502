using static TorchSharp.torch;

namespace HardNegatives.Models.Checkpoints;

/// <summary>The safetensors dtype names and their TorchSharp scalar types.</summary>
public static class SafetensorsDType
{
    static readonly (string Name, ScalarType Type, int Bytes)[] Table =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2), ("BF16", ScalarType.BFloat16, 2),
        ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4), ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>Bytes per element of a dtype name (also the 8-bit float and unsigned names, so their headers validate).</summary>
    public static int ByteSize(string dtype) => dtype switch
    {
        "F8_E4M3" or "F8_E5M2" => 1,
        "U16" => 2,
        "U32" => 4,
        "U64" => 8,
        _ => Table.FirstOrDefault(t => t.Name == dtype) is { Name: not null } row ? row.Bytes
            : throw new InvalidDataException($"unknown safetensors dtype '{dtype}'"),
    };

    /// <summary>The TorchSharp type of a dtype name; <paramref name="file"/> and <paramref name="tensor"/> only go into the error.</summary>
    public static ScalarType ToScalarType(string dtype, string file = "", string tensor = "") =>
        Table.FirstOrDefault(t => t.Name == dtype) is { Name: not null } row ? row.Type
            : throw new InvalidDataException($"{file}: tensor '{tensor}' has dtype {dtype}, which TorchSharp cannot hold; convert it to F32/F16/BF16 first");

    /// <summary>The dtype name of a TorchSharp type.</summary>
    public static string FromScalarType(ScalarType type) =>
        Table.FirstOrDefault(t => t.Type == type) is { Name: not null } row ? row.Name
            : throw new NotSupportedException($"safetensors has no dtype for {type}");
}
