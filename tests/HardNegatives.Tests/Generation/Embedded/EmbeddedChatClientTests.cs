using System.Text.Json.Nodes;
using HardNegatives.Generation.Embedded;
using HardNegatives.Tokenization.Bpe;
using HardNegatives.Tokenization.Bpe.ChatTemplates;
using Microsoft.Extensions.AI;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Generation.Embedded;

/// <summary>A complete tiny model folder (random Phi-3 weights, full byte-level vocabulary, Phi-4 template) behind IChatClient.</summary>
public sealed class EmbeddedChatClientTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "hn-chat-" + Guid.NewGuid().ToString("N"));

    public EmbeddedChatClientTests()
    {
        Directory.CreateDirectory(_dir);
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++) vocab[ByteLevelAlphabet.Encode((byte)b).ToString()] = b;
        vocab["Ġt"] = 256;
        vocab["he"] = 257;
        var specials = new[] { "<|im_start|>", "<|im_end|>", "<|im_sep|>", "<|endoftext|>" };
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), new JsonObject
        {
            ["added_tokens"] = new JsonArray(specials.Select((s, i) => (JsonNode)new JsonObject { ["id"] = 258 + i, ["content"] = s, ["special"] = true }).ToArray()),
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray("Ġ t", "h e") },
        }.ToJsonString());
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"),
            """{"chat_template": "{% for message in messages %}{{'<|im_start|>' + message['role'] + '<|im_sep|>' + message['content'] + '<|im_end|>'}}{% endfor %}"}""");
        var config = DecoderFamilyTests.Small(DecoderFamily.Phi3) with { VocabSize = 262, EosTokenIds = [261], BosTokenId = null };
        using var scope = NewDisposeScope();
        using var model = new DecoderModel(config, RandomDecoderWeights.Create(config, 42, std: 0.5));
        HfCheckpoint.Save(model, _dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly ChatMessage[] Chat = [new(ChatRole.System, "Be terse."), new(ChatRole.User, "the query")];

    [Fact]
    public async Task ResponseIsTemplateThenTokenizerThenDecoder()
    {
        using var client = EmbeddedChatClient.Load(_dir);
        Assert.IsType<Phi4ChatTemplate>(client.Template);
        var prompt = client.PromptIds(Chat);
        Assert.Equal(client.Tokenizer.Encode("<|im_start|>system<|im_sep|>Be terse.<|im_end|><|im_start|>user<|im_sep|>the query<|im_end|><|im_start|>assistant<|im_sep|>"), prompt);
        Assert.Contains(256, prompt); // " t" merged
        var response = await client.GetResponseAsync(Chat, new ChatOptions { MaxOutputTokens = 16 });
        var direct = new DecoderGenerator(client.Model).Generate([prompt], new SamplingOptions { MaxNewTokens = 16, StopTokens = [259, 261] })[0];
        Assert.Equal(client.Tokenizer.Decode(direct.Tokens, skipSpecialTokens: true), response.Text);
        Assert.Equal(prompt.Count, response.Usage!.InputTokenCount);
        Assert.Equal(direct.Tokens.Count, response.Usage.OutputTokenCount);
        Assert.Equal(direct.FinishReason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task StreamingConcatenatesToTheSameText()
    {
        using var client = EmbeddedChatClient.Load(_dir);
        var options = new ChatOptions { MaxOutputTokens = 20, Temperature = 1.0f, Seed = 9 };
        var whole = await client.GetResponseAsync(Chat, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(Chat, options)) updates.Add(u);
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.True(updates.Count >= 2);
        Assert.Equal(whole.FinishReason, updates[^1].FinishReason);
    }

    [Fact]
    public async Task BatchedResponsesEqualSingleOnes()
    {
        using var client = EmbeddedChatClient.Load(_dir);
        IReadOnlyList<ChatMessage>[] conversations = [Chat, [new(ChatRole.User, "x")], [new(ChatRole.User, "a much longer question about the thing")]];
        var options = new ChatOptions { MaxOutputTokens = 10 };
        var batched = await client.GetResponsesAsync(conversations, options);
        for (var i = 0; i < conversations.Length; i++)
            Assert.Equal((await client.GetResponseAsync(conversations[i], options)).Text, batched[i].Text);
    }

    [Fact]
    public async Task MultiTokenStopSequencesCutTheText()
    {
        using var client = EmbeddedChatClient.Load(_dir);
        var full = (await client.GetResponseAsync(Chat, new ChatOptions { MaxOutputTokens = 24 })).Text;
        Assert.True(full.Length >= 6, $"random model produced too little text to test with: '{full}'");
        var stop = full.Substring(3, 2);
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];
        var cut = await client.GetResponseAsync(Chat, new ChatOptions { MaxOutputTokens = 24, StopSequences = [stop] });
        Assert.Equal(expected, cut.Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
        var streamed = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(Chat, new ChatOptions { MaxOutputTokens = 24, StopSequences = [stop] })) streamed.Add(u);
        Assert.Equal(expected, string.Concat(streamed.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, streamed[^1].FinishReason);
    }

    [Fact]
    public void MissingTokenizerIsANamedError()
    {
        File.Delete(Path.Combine(_dir, "tokenizer.json"));
        Assert.Contains("tokenizer.json", Assert.Throws<FileNotFoundException>(() => EmbeddedChatClient.Load(_dir)).Message);
    }
}
