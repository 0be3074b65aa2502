namespace HardNegatives.Generation.Embedded;

/// <summary>How <see cref="EmbeddedChatClient.Load"/> places and runs a model.</summary>
public sealed record EmbeddedChatClientOptions
{
    /// <summary>"cpu", "cuda" or "cuda:N"; null (default) picks CUDA when TorchSharp sees a GPU, else the CPU.</summary>
    public string? Device { get; init; }
    /// <summary>Compute in bfloat16 (default: on CUDA yes, on the CPU no, where float32 is faster and exact).</summary>
    public bool? BFloat16 { get; init; }
    /// <summary>Tokens generated when a request sets no <c>MaxOutputTokens</c> (default 512).</summary>
    public int DefaultMaxOutputTokens { get; init; } = 512;
    /// <summary>Qwen3 only: let the model think before answering (default false: an empty think block is written).</summary>
    public bool EnableThinking { get; init; }
    /// <summary>Reported as the responses' model id; default the model folder's name.</summary>
    public string? ModelId { get; init; }
}
