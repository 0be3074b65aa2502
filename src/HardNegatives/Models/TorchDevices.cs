using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>Where models run: CUDA when the CUDA build of LibTorch is used and a GPU is present, else CPU.</summary>
public static class TorchDevices
{
    public static Device Default => cuda.is_available() ? CUDA : CPU;

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>, or <c>auto</c>/null for <see cref="Default"/>.</summary>
    public static Device Parse(string? name) => name is null or "" or "auto" ? Default : new Device(name);

    /// <summary>Parses <c>float32</c>/<c>fp32</c>, <c>bfloat16</c>/<c>bf16</c>, <c>float16</c>/<c>fp16</c>.</summary>
    public static ScalarType ParseDType(string name) => name.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "f16" or "half" => ScalarType.Float16,
        _ => throw new ArgumentException($"unknown dtype '{name}': use float32, bfloat16 or float16"),
    };
}
