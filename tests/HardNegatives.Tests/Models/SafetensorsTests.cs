using System.Buffers.Binary;
using System.Text;
using HardNegatives.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models;

public class SafetensorsTests
{
    static string TempDir() => Directory.CreateTempSubdirectory("hn-st-").FullName;

    /// <summary>A file built byte by byte from the format's specification, independent of the writer.</summary>
    static byte[] HandMadeFile()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[8,16]}}";
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + 16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, h.Length);
        h.CopyTo(bytes, 8);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + h.Length), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + h.Length + 4), -2f);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 + h.Length + 8), 42);
        return bytes;
    }

    /// <summary>A file written by another implementation (TorchSharp.PyBridge; see its PROVENANCE.md), read by ours.</summary>
    [Fact]
    public void ReadsAFileWrittenByTorchSharpPyBridge()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "safetensors-pybridge", "pybridge.safetensors");
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["encoder.weight", "encoder.bias", "half", "bhalf", "position_ids"], file.Entries.Keys);
        using var scope = NewDisposeScope();
        var weight = file.Read("encoder.weight");
        Assert.Equal(new long[] { 2, 3 }, weight.shape);
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f, 1f, 1.5f }, weight.data<float>().ToArray());
        Assert.Equal(new[] { 0.25f, -0.125f, 3f }, file.Read("encoder.bias").data<float>().ToArray());
        var half = file.Read("half");
        Assert.Equal(ScalarType.Float16, half.dtype);
        Assert.Equal(new[] { 1f, -2.5f, 0.0009765625f, 65504f }, half.to(float32).data<float>().ToArray());
        var bhalf = file.Read("bhalf");
        Assert.Equal(ScalarType.BFloat16, bhalf.dtype);
        // 3e38 is not a bfloat16; the file holds its nearest bfloat16, 0x7F62 (exponent 254, mantissa 98/128): 1.765625 × 2^127 ≈ 3.004e38.
        Assert.Equal(new[] { 1f, -2.5f, 0.0078125f, BitConverter.Int32BitsToSingle(0x7F62 << 16) }, bhalf.to(float32).data<float>().ToArray());
        var ids = file.Read("position_ids");
        Assert.Equal(new long[] { 1, 5 }, ids.shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, ids.data<long>().ToArray());
    }

    [Fact]
    public void ReadsAHandMadeFile()
    {
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "x.safetensors");
            File.WriteAllBytes(path, HandMadeFile());
            using var file = SafetensorsFile.Open(path);
            Assert.Equal("v", file.Metadata["k"]);
            Assert.Equal(new[] { "a", "b" }, file.Entries.Keys.Order());
            using var a = file.Read("a");
            using var b = file.Read("b");
            Assert.Equal(new[] { 1.5f, -2f }, a.data<float>().ToArray());
            Assert.Equal(ScalarType.Int64, b.dtype);
            Assert.Equal(new long[] { 1, 1 }, b.shape);
            Assert.Equal(42L, b.item<long>());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RoundTripsEveryDtypeBitForBit()
    {
        var dir = TempDir();
        try
        {
            using var scope = NewDisposeScope();
            var source = randn(3, 5, generator: new Generator(1));
            var tensors = new Dictionary<string, Tensor>
            {
                ["f32"] = source,
                ["f64"] = source.to(ScalarType.Float64),
                ["f16"] = source.to(ScalarType.Float16),
                ["bf16"] = source.to(ScalarType.BFloat16),
                ["i64"] = arange(7, ScalarType.Int64).reshape(7, 1),
                ["i32"] = arange(4, ScalarType.Int32),
                ["u8"] = arange(3, ScalarType.Byte),
                ["bool"] = tensor(new[] { true, false, true }),
                ["scalar"] = tensor(3.25f),
                ["empty"] = zeros(0, 4),
                ["layer.0.attention.q_lin.weight"] = source.T, // non-contiguous view
            };
            var path = Path.Combine(dir, "model.safetensors");
            SafetensorsWriter.Save(path, tensors, new Dictionary<string, string> { ["note"] = "test" });
            var raw = File.ReadAllBytes(path);
            Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(raw) % 8);
            using var file = SafetensorsFile.Open(path);
            Assert.Equal("pt", file.Metadata["format"]);
            Assert.Equal("test", file.Metadata["note"]);
            foreach (var (name, expected) in tensors)
            {
                var actual = file.Read(name);
                Assert.Equal(expected.dtype, actual.dtype);
                Assert.Equal(expected.shape, actual.shape);
                Assert.True(expected.contiguous().bytes.SequenceEqual(actual.bytes), name);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RejectsHeadersThatLieAboutSizes()
    {
        var dir = TempDir();
        try
        {
            var bytes = HandMadeFile();
            var path = Path.Combine(dir, "bad.safetensors");
            File.WriteAllBytes(path, bytes[..^1]); // data section one byte short
            var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
            Assert.Contains("bad.safetensors", e.Message);
            BinaryPrimitives.WriteInt64LittleEndian(bytes, 1L << 40);
            File.WriteAllBytes(path, bytes);
            Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ShardedIndexMapsEachTensorToItsShard()
    {
        var dir = TempDir();
        try
        {
            using var scope = NewDisposeScope();
            SafetensorsWriter.Save(Path.Combine(dir, "model-00001-of-00002.safetensors"), new Dictionary<string, Tensor> { ["w1"] = ones(2, 2) });
            SafetensorsWriter.Save(Path.Combine(dir, "model-00002-of-00002.safetensors"), new Dictionary<string, Tensor> { ["w2"] = full(3, 7f) });
            File.WriteAllText(Path.Combine(dir, SafetensorsCheckpoint.IndexFileName),
                "{\"metadata\":{\"total_size\":28},\"weight_map\":{\"w1\":\"model-00001-of-00002.safetensors\",\"w2\":\"model-00002-of-00002.safetensors\"}}");
            using var checkpoint = SafetensorsCheckpoint.Open(dir);
            Assert.Equal(new[] { "w1", "w2" }, checkpoint.Names.Order());
            Assert.Equal(2, checkpoint.Shards.Count);
            Assert.Equal(4f, checkpoint.Read("w1").sum().item<float>());
            Assert.Equal(new long[] { 3 }, checkpoint.Entry("w2").Shape);
            Assert.Equal(21f, checkpoint.Read("w2").sum().item<float>());
            Assert.Throws<KeyNotFoundException>(() => checkpoint.Read("w3"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
