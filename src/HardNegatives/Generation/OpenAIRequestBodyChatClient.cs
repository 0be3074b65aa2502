using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace HardNegatives.Generation;

/// <summary>
/// Puts fields that the OpenAI SDK does not model into the request body: every entry of
/// <see cref="ChatOptions.AdditionalProperties"/> becomes a top-level JSON field (<c>top_k</c>, <c>min_p</c>, …), except
/// the kit's own <c>hn.*</c> keys; <see cref="ChatBackends.EnableThinkingKey"/> becomes
/// <c>"chat_template_kwargs": {"enable_thinking": …}</c> (vLLM, SGLang, llama-server with <c>--jinja</c>); and, for servers other than api.openai.com, <c>max_tokens</c> is sent beside the SDK's
/// <c>max_completion_tokens</c>, since older llama-server and Ollama <c>/v1</c> builds only read the former.
/// (Microsoft.Extensions.AI.OpenAI does not forward AdditionalProperties; the SDK's JSON patch does.)
/// </summary>
sealed class OpenAIRequestBodyChatClient(IChatClient inner, bool localServer) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Patch(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Patch(options), cancellationToken);

    ChatOptions? Patch(ChatOptions? options)
    {
        if (options is null) return null;
        var extra = options.AdditionalProperties?.Where(p => p.Value is not null && !p.Key.StartsWith("hn.", StringComparison.Ordinal)).ToList() ?? [];
        if (options.AdditionalProperties?.TryGetValue(ChatBackends.EnableThinkingKey, out var thinking) == true && thinking is bool enable)
            extra.Add(new("chat_template_kwargs", new Dictionary<string, object> { ["enable_thinking"] = enable }));
        var maxTokens = localServer ? options.MaxOutputTokens : null;
        var schema = localServer ? options.ResponseFormat as ChatResponseFormatJson : null;
        if (schema?.Schema is null) schema = null;
        if (extra.Count == 0 && maxTokens is null && schema is null) return options;
        var patched = options.Clone();
        var previous = options.RawRepresentationFactory;
        patched.AdditionalProperties = null;
        if (schema is not null) patched.ResponseFormat = null;
        patched.RawRepresentationFactory = client =>
        {
            var raw = previous?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is marked experimental in System.ClientModel
            foreach (var (name, value) in extra)
                raw.Patch.Set(System.Text.Encoding.UTF8.GetBytes("$." + name), BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value)));
            if (maxTokens is { } m) raw.Patch.Set("$.max_tokens"u8, m);
            if (schema is not null)
                raw.ResponseFormat = OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(schema.SchemaName ?? "response",
                    BinaryData.FromString(schema.Schema!.Value.GetRawText()), schema.SchemaDescription);
#pragma warning restore SCME0001
            return raw;
        };
        return patched;
    }
}
