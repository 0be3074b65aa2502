namespace HardNegatives.Generation.LlamaCpp;

/// <summary>How <see cref="LlamaCppChatClient"/> renders chats and runs llama.cpp.</summary>
public sealed record LlamaCppChatClientOptions
{
    /// <summary>
    /// The chat format: <c>llama3</c>, <c>qwen3</c>, <c>phi4</c>, <c>phi4-mini</c> (the kit's native templates), <c>gguf</c>
    /// (llama.cpp applies the GGUF's <c>tokenizer.chat_template</c>), <c>plain</c> (no template: the messages' text joined by
    /// blank lines, for base models). Default null = the kit's template when the GGUF's template is recognised, else <c>gguf</c>
    /// when the file has one, else <c>plain</c>.
    /// </summary>
    public string? Template { get; init; }
    /// <summary>Tokens generated when a request sets no <c>MaxOutputTokens</c> (default 512).</summary>
    public int DefaultMaxOutputTokens { get; init; } = 512;
    /// <summary>Qwen3 only: let the model think before answering (default false).</summary>
    public bool EnableThinking { get; init; }
    /// <summary>Reported as the responses' model id; default the GGUF file's name without extension.</summary>
    public string? ModelId { get; init; }
    /// <summary>Threads, context size, KV cache type.</summary>
    public LlamaCppOptions Engine { get; init; } = new();
}
