using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using Microsoft.Extensions.AI;

namespace HardNegatives.Generation;

/// <summary>
/// The generator's chat client by backend name, one place for <c>hn generate --backend</c>, <c>backend:</c> in experiment
/// specs and notebooks: <c>openai</c> and <c>ollama</c> talk to servers at <c>endpoints</c>; <c>embedded</c> (the kit's
/// TorchSharp decoder on a model folder or cached Hub id) and <c>llamacpp</c> (llama.cpp on a <c>.gguf</c> file) run
/// <c>model</c> in this process and need no endpoint.
/// </summary>
public static class GenerationBackends
{
    /// <summary>The backend names, as specs and the CLI accept them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["openai", "ollama", "embedded", "llamacpp"];

    /// <summary>True for backends that run the model in this process (no endpoint to probe).</summary>
    public static bool InProcess(string backend) => backend is "embedded" or "llamacpp";

    /// <summary>
    /// A client for <paramref name="model"/> on <paramref name="backend"/>. <paramref name="thinking"/> is the generation's
    /// thinking control (<see cref="ThinkingDefaults.For"/>): in-process engines let the model think only when it says
    /// <see cref="ThinkingControl.Leave"/>; servers get it per request from the generator.
    /// </summary>
    public static IChatClient Open(string backend, string model, IReadOnlyList<Uri> endpoints, ThinkingControl? thinking = null, string? apiKey = null)
    {
        if (!InProcess(backend) && Names.Contains(backend) && endpoints.Count == 0)
            throw new ArgumentException($"backend {backend} needs at least one endpoint (an OpenAI-compatible base URL such as http://localhost:8000/v1, or Ollama's http://localhost:11434); embedded and llamacpp need none");
        var enableThinking = ThinkingDefaults.EmbeddedEnableThinking(thinking);
        return backend switch
        {
            "openai" => ChatBackends.Create(ChatBackend.OpenAI, endpoints, model, apiKey),
            "ollama" => ChatBackends.Create(ChatBackend.Ollama, endpoints, model),
            // One request at a time in process (the engines are not thread-safe; they declare it through IChatClientCapacity).
            "embedded" => EmbeddedChatClient.Load(model, new EmbeddedChatClientOptions { EnableThinking = enableThinking }),
            "llamacpp" => LlamaCppChatClient.Load(model, new LlamaCppChatClientOptions { EnableThinking = enableThinking }),
            _ => throw new ArgumentException($"'{backend}' is not a generation backend; use {string.Join(", ", Names)}"),
        };
    }
}
