using Microsoft.Extensions.AI;
using OllamaSharp.Models.Chat;

namespace HardNegatives.Generation;

/// <summary>Maps <see cref="ChatBackends.EnableThinkingKey"/> to Ollama's <c>think</c> field, which OllamaSharp's IChatClient mapping does not set.</summary>
sealed class OllamaThinkingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Map(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Map(options), cancellationToken);

    static ChatOptions? Map(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(ChatBackends.EnableThinkingKey, out var value) != true || value is not bool enable) return options;
        var mapped = options.Clone();
        var previous = options.RawRepresentationFactory;
        mapped.RawRepresentationFactory = client =>
        {
            var request = previous?.Invoke(client) as ChatRequest ?? new ChatRequest();
            request.Think = new ThinkValue(enable);
            return request;
        };
        return mapped;
    }
}
