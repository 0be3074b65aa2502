using System.CommandLine;
using HardNegatives.Cli.Commands;
using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using HardNegatives.Tokenization.SentencePiece;

namespace HardNegatives.Tests.Generation.LlamaCpp;

/// <summary>
/// <c>hn generate --backend llamacpp</c> end to end on SciFact with the bundled stories260K as a GGUF (its context raised
/// to 4096 positions so the prompt template fits; a story model writes no usable negatives, so this checks the plumbing:
/// every request reaches llama.cpp in process and is recorded, and the run ends saying items failed, exit code 2).
/// </summary>
[Collection(HardNegatives.Tests.BadInput.InProcessProgressCollection.Name)] // runs hn in-process: one live progress display per process
public sealed class GenerateWithLlamaCppTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-gen-llamacpp-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task GenerateRunsThroughLlamaCppWithNoServer()
    {
        var gguf = Path.Combine(_dir, "stories260K-4k.gguf");
        var (config, weights) = Llama2cCheckpoint.Read(Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"));
        try { GgufCheckpoint.Save(config with { MaxPositionEmbeddings = 4096 }, weights, Llama2cTokenizerFile.Read(Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), 512), gguf); }
        finally { foreach (var t in weights.Values) t.Dispose(); }

        var output = Path.Combine(_dir, "negatives.jsonl");
        var root = new RootCommand { GenerateCommand.Create() };
        var code = await root.Parse([
            "generate", "--dataset", "scifact", "--split", "train", "--backend", "llamacpp", "--model", gguf,
            "--num-negatives", "1", "--limit", "2", "--max-tokens", "24", "--quality-retries", "0", "--output", output,
        ]).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

        Assert.Equal(2, code); // items without negatives are failures, never "finished" (issue 18)
        var cache = File.ReadAllLines(output + ".cache.jsonl");
        Assert.Equal(2, cache.Length);
        // Each item's one request went through llama.cpp: the prompt template alone is several hundred tokens.
        Assert.All(cache, line => Assert.True(System.Text.Json.Nodes.JsonNode.Parse(line)!["record"]!["input_tokens"]!.GetValue<long>() > 300, line));
        Assert.True(File.Exists(output));
    }
}
