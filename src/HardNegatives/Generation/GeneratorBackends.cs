using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using Microsoft.Extensions.AI;

namespace HardNegatives.Generation;

/// <summary>
/// The generator backends by the names <c>hn generate --backend</c>, experiment specs (<c>backend</c>) and the notebook
/// facade use, opened one way for all three: <c>openai</c> (any OpenAI-compatible server), <c>ollama</c> (Ollama's native
/// API), <c>embedded</c> (the in-process TorchSharp decoder) and <c>llamacpp</c> (in-process llama.cpp on a .gguf file).
/// </summary>
public static class GeneratorBackends
{
    /// <summary>Every backend name, in the order the help text lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["openai", "ollama", "embedded", "llamacpp"];

    /// <summary>True for the backends that run the model in this process (no server, no endpoint).</summary>
    public static bool InProcess(string backend) => backend is "embedded" or "llamacpp";

    /// <summary>An http(s) endpoint from text, or an error that shows the expected form.</summary>
    public static Uri ParseEndpoint(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"--endpoint '{text}' is not an http(s) URL; e.g. http://localhost:8000/v1");

    /// <summary>
    /// A chat client for <paramref name="model"/> on <paramref name="backend"/>. Server backends need at least one endpoint and
    /// every endpoint is probed first, so a dead one is named with its cause before any item is asked for (unreachable
    /// replicas are dropped with a warning while one answers). In-process backends load the model here; thinking stays off
    /// unless <paramref name="thinking"/> is <see cref="ThinkingControl.Leave"/>.
    /// </summary>
    /// <param name="apiKey">Key for OpenAI-compatible servers (local ones need none); never logged.</param>
    /// <param name="warn">Where probe warnings go (an unreachable replica).</param>
    public static async Task<IChatClient> OpenAsync(string backend, IReadOnlyList<Uri> endpoints, string model, ThinkingControl? thinking,
        string? apiKey = null, Action<string>? warn = null, CancellationToken cancellationToken = default)
    {
        if (!Names.Contains(backend)) throw new ArgumentException($"'{backend}' is not a backend; use {string.Join(", ", Names)}");
        if (InProcess(backend))
        {
            bool enableThinking = ThinkingDefaults.EmbeddedEnableThinking(thinking);
            return backend == "embedded"
                ? (IChatClient)EmbeddedChatClient.Load(model, new EmbeddedChatClientOptions { EnableThinking = enableThinking })
                : LlamaCppChatClient.Load(model, new LlamaCppChatClientOptions { EnableThinking = enableThinking });
        }
        if (endpoints.Count == 0) throw new ArgumentException($"backend {backend} needs at least one endpoint, e.g. http://localhost:8000/v1");
        var kind = backend == "ollama" ? ChatBackend.Ollama : ChatBackend.OpenAI;
        var reachable = await EndpointProbe.RequireReachableAsync(endpoints, kind, warn, cancellationToken: cancellationToken);
        return ChatBackends.Create(kind, reachable, model, kind == ChatBackend.OpenAI ? apiKey : null);
    }
}
