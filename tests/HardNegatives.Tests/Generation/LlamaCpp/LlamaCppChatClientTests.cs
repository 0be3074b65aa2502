using HardNegatives.Data;
using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using HardNegatives.Tokenization.SentencePiece;
using Microsoft.Extensions.AI;

namespace HardNegatives.Tests.Generation.LlamaCpp;

/// <summary>
/// The llama.cpp <see cref="IChatClient"/> on the bundled stories260K exported to GGUF (a base model: no chat template, so
/// the plain template): its answer to "Lily wanted" is run.c's greedy continuation of that prompt.
/// </summary>
public sealed class LlamaCppChatClientTests : IDisposable
{
    readonly string _gguf = Path.Combine(Path.GetTempPath(), $"hn-chat-{Guid.NewGuid():N}.gguf");

    public LlamaCppChatClientTests()
    {
        var (config, weights) = Llama2cCheckpoint.Read(Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"));
        try { GgufCheckpoint.Save(config, weights, Llama2cTokenizerFile.Read(Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), 512), _gguf); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
    }

    public void Dispose() => File.Delete(_gguf);

    // run.c echoes the prompt, then prints the 61 greedy tokens, then a newline.
    static string RunCContinuation() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "tinyllamas-stories260K", "prompt-text.txt"))["Lily wanted".Length..^1];

    [Fact]
    public async Task PlainTemplateAnswerIsRunCContinuation()
    {
        using var client = LlamaCppChatClient.Load(_gguf, new LlamaCppChatClientOptions { Engine = new LlamaCppOptions(Threads: 1) });
        Assert.Equal("plain", client.TemplateName);
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Lily wanted")], new ChatOptions { MaxOutputTokens = 61, Temperature = 0 });
        Assert.Equal(RunCContinuation(), response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(4, response.Usage!.InputTokenCount); // BOS + 3 pieces, as run.c's encode
        Assert.Equal(61, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task StreamingGivesTheSameTextAndStopsAtAStopSequence()
    {
        using var client = LlamaCppChatClient.Load(_gguf, new LlamaCppChatClientOptions { Engine = new LlamaCppOptions(Threads: 1) });
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Lily wanted")], new ChatOptions { MaxOutputTokens = 61 })) updates.Add(u);
        Assert.Equal(RunCContinuation(), string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);

        var cut = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Lily wanted")], new ChatOptions { MaxOutputTokens = 61, StopSequences = ["box"] });
        Assert.Equal(RunCContinuation()[..RunCContinuation().IndexOf("box", StringComparison.Ordinal)], cut.Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
    }

    [Fact]
    public void KitTemplateByNameAndUnknownNameIsANamedError()
    {
        using (var client = LlamaCppChatClient.Load(_gguf, new LlamaCppChatClientOptions { Template = "qwen3" }))
            Assert.Contains("<|im_start|>user\nhi<|im_end|>", client.PromptText([new ChatMessage(ChatRole.User, "hi")]));
        var e = Assert.Throws<ArgumentException>(() => LlamaCppChatClient.Load(_gguf, new LlamaCppChatClientOptions { Template = "vicuna" }));
        Assert.Contains("llama3, qwen3", e.Message);
        Assert.Throws<InvalidDataException>(() => LlamaCppChatClient.Load(_gguf, new LlamaCppChatClientOptions { Template = "gguf" }));
    }
}
