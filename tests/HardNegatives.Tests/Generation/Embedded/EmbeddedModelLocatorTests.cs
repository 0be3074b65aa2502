using HardNegatives.Generation.Embedded;

namespace HardNegatives.Tests.Generation.Embedded;

public sealed class EmbeddedModelLocatorTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "hn-hub-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true); }

    [Fact]
    public void RepoIdResolvesToTheSnapshotNamedByRefsMain()
    {
        var repo = Path.Combine(_root, "models--Qwen--Qwen3-0.6B");
        Directory.CreateDirectory(Path.Combine(repo, "snapshots", "aaa"));
        Directory.CreateDirectory(Path.Combine(repo, "snapshots", "bbb"));
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), "bbb\n");
        Assert.Equal(Path.Combine(repo, "snapshots", "bbb"), EmbeddedModelLocator.Resolve("Qwen/Qwen3-0.6B", [_root]));
        Assert.Equal(_root, EmbeddedModelLocator.Resolve(_root, [])); // a folder is itself
    }

    [Fact]
    public void UnknownModelSaysWhereItLooked()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => EmbeddedModelLocator.Resolve("meta-llama/Llama-3.1-8B-Instruct", [_root]));
        Assert.Contains(_root, e.Message);
        Assert.Contains("meta-llama/Llama-3.1-8B-Instruct", e.Message);
    }
}
