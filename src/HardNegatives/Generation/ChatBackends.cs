using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace HardNegatives.Generation;

/// <summary>Which API a server speaks.</summary>
public enum ChatBackend
{
    /// <summary>OpenAI chat completions: vLLM, SGLang, llama.cpp's llama-server, Ollama's <c>/v1</c>, LM Studio, OpenAI.</summary>
    OpenAI,
    /// <summary>Ollama's own <c>/api/chat</c>, through OllamaSharp.</summary>
    Ollama,
}

/// <summary>
/// Builds <see cref="IChatClient"/>s for servers. Several endpoints become one <see cref="EndpointPoolChatClient"/>.
/// The SDKs' own retries are switched off (the generator retries, counts and honours Retry-After itself) and their
/// network timeouts lifted (the generator's <see cref="GenerationOptions.RequestTimeout"/> applies). An API key is only
/// ever handed to the SDK's credential; labels and errors never contain it (<see cref="Redact"/>).
/// </summary>
public static class ChatBackends
{
    static readonly ConcurrentDictionary<string, byte> Secrets = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="ChatOptions.AdditionalProperties"/> key (a bool) asking a backend to switch a reasoning model's thinking on
    /// or off: sent as <c>chat_template_kwargs.enable_thinking</c> to OpenAI-compatible servers and as <c>think</c> to
    /// Ollama's native API. An in-process model should honour it too.
    /// </summary>
    public const string EnableThinkingKey = "hn.enable_thinking";

    /// <summary>The default environment variable holding an API key.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>Reads an API key from <paramref name="variable"/> (null when unset: local servers need none).</summary>
    public static string? ApiKeyFromEnvironment(string variable = DefaultApiKeyVariable)
    {
        var key = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(key) ? null : key;
    }

    /// <summary>A client for one or more servers of one model.</summary>
    public static IChatClient Create(ChatBackend backend, IReadOnlyList<Uri> endpoints, string model, string? apiKey = null)
    {
        if (endpoints.Count == 0) throw new ArgumentException("give at least one --endpoint");
        var clients = endpoints.Select(e => new ChatEndpoint(Label(e), backend switch
        {
            ChatBackend.OpenAI => OpenAICompatible(e, model, apiKey),
            ChatBackend.Ollama => Ollama(e, model),
            _ => throw new ArgumentException($"unknown backend {backend}"),
        })).ToList();
        return clients.Count == 1 ? clients[0].Client : new EndpointPoolChatClient(clients);
    }

    /// <summary>
    /// A client for an OpenAI-compatible server. <paramref name="endpoint"/> is the base URL the SDK appends
    /// <c>chat/completions</c> to; a bare <c>http://host:port</c> gets <c>/v1</c> added.
    /// <see cref="ChatOptions.AdditionalProperties"/> entries are sent as top-level request fields (see <see cref="OpenAIRequestBodyChatClient"/>).
    /// </summary>
    public static IChatClient OpenAICompatible(Uri endpoint, string model, string? apiKey = null)
    {
        if (apiKey is not null) Secrets.TryAdd(apiKey, 0);
        var options = new OpenAIClientOptions
        {
            Endpoint = WithV1(endpoint),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // Local servers ignore the key, but the SDK insists on one.
        var client = new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(apiKey ?? "no-key"), options).AsIChatClient();
        var official = endpoint.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase);
        return new OpenAIRequestBodyChatClient(client, localServer: !official);
    }

    /// <summary>A client for Ollama's native API (<c>http://host:11434</c>).</summary>
    public static IChatClient Ollama(Uri endpoint, string model) =>
        new OllamaThinkingChatClient(new OllamaApiClient(new HttpClient { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan }, model));

    /// <summary>The endpoint as it may appear in logs and files: no user info, no query string.</summary>
    public static string Label(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri) return endpoint.ToString();
        var b = new UriBuilder(endpoint) { UserName = "", Password = "", Query = "", Fragment = "" };
        return b.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>Replaces every API key this process handed to a backend with <c>***</c>.</summary>
    public static string Redact(string text)
    {
        foreach (var secret in Secrets.Keys)
            if (secret.Length > 0) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }

    static Uri WithV1(Uri endpoint) =>
        endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, "/v1") : endpoint;
}
