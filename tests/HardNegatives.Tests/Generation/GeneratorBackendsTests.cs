using HardNegatives.Data;
using HardNegatives.Generation;
using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using HardNegatives.Tokenization.SentencePiece;
using Microsoft.Extensions.AI;

namespace HardNegatives.Tests.Generation;

/// <summary>
/// The one backend-by-name entry that hn generate, specs and notebook 04's full mode use: llamacpp opens a GGUF in
/// process with no endpoint; server backends without an endpoint and unknown names are refused by name.
/// </summary>
public sealed class GeneratorBackendsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-backends-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task LlamaCppOpensAGgufInProcessAndAnswers()
    {
        var gguf = Path.Combine(_dir, "stories260K.gguf");
        var (config, weights) = Llama2cCheckpoint.Read(Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"));
        try { GgufCheckpoint.Save(config, weights, Llama2cTokenizerFile.Read(Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), 512), gguf); }
        finally { foreach (var t in weights.Values) t.Dispose(); }

        Assert.True(GeneratorBackends.InProcess("llamacpp"));
        using var client = await GeneratorBackends.OpenAsync("llamacpp", [], gguf, ThinkingDefaults.For(gguf));
        Assert.IsType<LlamaCppChatClient>(client);
        var reply = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { MaxOutputTokens = 8, Temperature = 0 });
        Assert.NotNull(reply.Usage?.OutputTokenCount);
        Assert.InRange(reply.Usage!.OutputTokenCount!.Value, 1, 8);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task ServerBackendsWithoutAnEndpointSaySo(string backend) =>
        Assert.Contains("needs at least one endpoint", (await Assert.ThrowsAsync<ArgumentException>(() => GeneratorBackends.OpenAsync(backend, [], "m", null))).Message);

    [Fact]
    public async Task AnUnknownBackendNamesTheKnownOnes() =>
        Assert.Contains("openai, ollama, embedded, llamacpp", (await Assert.ThrowsAsync<ArgumentException>(() => GeneratorBackends.OpenAsync("vllm", [], "m", null))).Message);
}
