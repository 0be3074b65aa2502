using System.Buffers.Binary;
using HardNegatives.Models.Checkpoints.Gguf;

namespace HardNegatives.Tests.Models.Checkpoints;

/// <summary>GGUF writer and reader: metadata types, ggml dimension order, alignment, and the four tensor encodings.</summary>
public class GgufFileTests
{
    static string TempFile() => Path.Combine(Path.GetTempPath(), $"hn-gguf-{Guid.NewGuid():N}.gguf");

    [Fact]
    public void MetadataAndFloatTensorsRoundTrip()
    {
        var path = TempFile();
        try
        {
            float[] matrix = [1, -2, 3.5f, 4, 5, 6]; // torch shape [2, 3]
            new GgufWriter()
                .Add("general.architecture", "llama").Add("x.count", 7u).Add("x.signed", -3).Add("x.eps", 1e-5f).Add("x.flag", true)
                .Add("x.names", ["a", "▁b", ""]).Add("x.scores", [0.5f, -1f]).Add("x.types", [1, 6])
                .AddTensor("m32", [2, 3], matrix)
                .AddTensor("m16", [2, 3], matrix, GgmlType.F16)
                .AddTensor("v", [5], [0.1f, 0.2f, 0.3f, 0.4f, 0.5f])
                .Save(path);
            using var f = GgufFile.Open(path);
            Assert.Equal("llama", f.Metadata["general.architecture"]);
            Assert.Equal(7u, f.Metadata["x.count"]);
            Assert.Equal(7, f.Require<int>("x.count"));
            Assert.Equal(-3, f.Metadata["x.signed"]);
            Assert.Equal(1e-5f, f.Metadata["x.eps"]);
            Assert.Equal(true, f.Metadata["x.flag"]);
            Assert.Equal(["a", "▁b", ""], (string[])f.Metadata["x.names"]);
            Assert.Equal([0.5f, -1f], (float[])f.Metadata["x.scores"]);
            Assert.Equal([1, 6], (int[])f.Metadata["x.types"]);
            var m32 = f.Find("m32")!;
            Assert.Equal([3L, 2], m32.Dims);        // ggml order: fastest dimension first
            Assert.Equal([2L, 3], m32.TorchShape);
            Assert.Equal(matrix, f.ReadFloats(m32));
            Assert.Equal(matrix, f.ReadFloats(f.Find("m16")!)); // exactly representable in float16
            Assert.All(f.Tensors, t => Assert.Equal(0ul, t.Offset % GgufWriter.Alignment));
            Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f, 0.5f], f.ReadFloats(f.Find("v")!));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bf16AndQ80AreDecodedToFloat32()
    {
        var path = TempFile();
        try
        {
            // BF16: the upper 16 bits of a float32.
            float[] values = [1f, -2.5f, 3.140625f, 0f];
            var bf16 = new byte[values.Length * 2];
            for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bf16.AsSpan(2 * i), (ushort)(BitConverter.SingleToInt32Bits(values[i]) >> 16));
            // Q8_0: one block of 32 = float16 scale 0.5, then int8 -16..15 -> values -8..7.5.
            var q8 = new byte[34];
            BinaryPrimitives.WriteHalfLittleEndian(q8, (Half)0.5f);
            for (var j = 0; j < 32; j++) q8[2 + j] = unchecked((byte)(sbyte)(j - 16));
            new GgufWriter().AddTensorBytes("b", [4], GgmlType.BF16, bf16).AddTensorBytes("q", [1, 32], GgmlType.Q8_0, q8).Save(path);
            using var f = GgufFile.Open(path);
            Assert.Equal(values, f.ReadFloats(f.Find("b")!));
            Assert.Equal(Enumerable.Range(0, 32).Select(j => (j - 16) * 0.5f), f.ReadFloats(f.Find("q")!));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void NotGgufIsANamedError()
    {
        var path = TempFile();
        try
        {
            File.WriteAllText(path, "not a model");
            Assert.False(GgufFile.IsGguf(path));
            var e = Assert.Throws<InvalidDataException>(() => GgufFile.Open(path));
            Assert.Contains(path, e.Message);
            File.WriteAllBytes(path, [.. "GGUF"u8, 3, 0, 0, 0, 1]);
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => GgufFile.Open(path)).Message);
        }
        finally { File.Delete(path); }
    }
}
