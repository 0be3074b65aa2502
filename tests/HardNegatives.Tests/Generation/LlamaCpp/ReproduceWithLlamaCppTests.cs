using System.Text.Json.Nodes;
using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using HardNegatives.Tests.Data;
using HardNegatives.Tokenization.SentencePiece;

namespace HardNegatives.Tests.Generation.LlamaCpp;

/// <summary>
/// An experiment spec's LLM source with <c>backend: llamacpp</c> generates through llama.cpp in process when
/// <c>hn reproduce</c> runs it: the bundled stories260K as a GGUF (context raised to 4096 positions so the prompt fits).
/// A story model writes no usable negatives, so this checks the plumbing: every item's request reached llama.cpp (the
/// cache records the prompt's tokens), and the run refuses to store the incomplete negatives, naming the source.
/// </summary>
public sealed class ReproduceWithLlamaCppTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-reproduce-llamacpp-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ASpecsLlamaCppSourceGeneratesInProcess_AndNeverStoresIncompleteNegatives()
    {
        var gguf = Path.Combine(_dir, "stories260K-4k.gguf");
        var (config, weights) = Llama2cCheckpoint.Read(Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"));
        try { GgufCheckpoint.Save(config with { MaxPositionEmbeddings = 4096 }, weights, Llama2cTokenizerFile.Read(Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), 512), gguf); }
        finally { foreach (var t in weights.Values) t.Dispose(); }

        var spec = Path.Combine(_dir, "spec.json");
        File.WriteAllText(spec, new JsonObject
        {
            ["name"] = "llamacpp-spec",
            ["training"] = new JsonObject { ["dataset"] = "scifact", ["split"] = "train", ["limit"] = 2 },
            ["sources"] = new JsonArray(new JsonObject { ["kind"] = "llm", ["name"] = "Stories", ["model"] = gguf, ["backend"] = "llamacpp", ["num_negatives"] = 1 }),
            ["model"] = new JsonObject { ["base"] = "tiny:layers=1,dim=64", ["batch_size"] = 2, ["max_steps"] = 1, ["max_length"] = 32 },
            ["evaluation"] = new JsonObject { ["datasets"] = new JsonArray("scifact"), ["metrics"] = new JsonArray("ndcg_cut.10"), ["top_k"] = 10 },
            ["seeds"] = new JsonArray(1),
        }.ToJsonString());

        var home = Path.Combine(_dir, "home");
        var run = HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = home }, "reproduce", spec, "--output", Path.Combine(_dir, "report"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Stories:", run.StdErr + run.StdOut);
        Assert.Contains("the negatives are not stored until every item has them", run.StdErr + run.StdOut);
        var cache = Directory.GetFiles(home, "generation-cache.jsonl", SearchOption.AllDirectories);
        var lines = File.ReadAllLines(Assert.Single(cache));
        Assert.Equal(2, lines.Length);
        // Each item's request went through llama.cpp: the prompt template alone is several hundred tokens.
        Assert.All(lines, line => Assert.True(JsonNode.Parse(line)!["record"]!["input_tokens"]!.GetValue<long>() > 300, line));
    }
}
