using System.Security.Cryptography;
using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using HardNegatives.Models.Checkpoints.Gguf;
using HardNegatives.Tokenization.SentencePiece;

namespace HardNegatives.Tests.Generation.Embedded;

/// <summary>
/// The GGUF export of the bundled stories260K is byte for byte what the kit wrote before the writer streamed tensors
/// (hashes recorded from the in-memory writer of commit 2014b5e). A deliberate format change updates them, with a reason.
/// </summary>
public class GgufExportBytesTests
{
    [Theory]
    [InlineData("f32", true, "1e3a5204432a24dcea1a3b7e6216593f20e1aa6da2759feb41d2d64881c89897")]
    [InlineData("f16", true, "61f3dc79193ebf7cb0273b7cb97b06e38c987d29d47ac50df31aac604be04957")]
    [InlineData("f32", false, "62d191d20ad61970609971ee930acec4e255f12c814b9e56196255a2cf6491e9")]
    public void Stories260KExportIsByteIdenticalToTheInMemoryWriter(string type, bool withTokenizer, string sha256)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-gguf-bytes-{Guid.NewGuid():N}.gguf");
        try
        {
            var (config, weights) = Llama2cCheckpoint.Read(Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"));
            var tokenizer = withTokenizer ? Llama2cTokenizerFile.Read(Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), 512) : null;
            try { GgufCheckpoint.Save(config, weights, tokenizer, path, type == "f16" ? GgmlType.F16 : GgmlType.F32, name: "stories260K"); }
            finally { foreach (var t in weights.Values) t.Dispose(); }
            using var stream = File.OpenRead(path);
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        finally { File.Delete(path); }
    }
}
