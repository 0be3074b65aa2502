namespace HardNegatives.Generation.Embedded;

/// <summary>How the next token is chosen and when generation stops.</summary>
public sealed record SamplingOptions
{
    /// <summary>0 (default) means greedy argmax; otherwise logits are divided by it before sampling.</summary>
    public double Temperature { get; init; }
    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches this (1 = off, default).</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens (0 = off, default).</summary>
    public int TopK { get; init; }
    /// <summary>Seed of the torch generator used for sampling; null draws one from the clock.</summary>
    public long? Seed { get; init; }
    /// <summary>Most tokens generated per sequence (default 256).</summary>
    public int MaxNewTokens { get; init; } = 256;
    /// <summary>Tokens that end a sequence; the stop token itself is not returned.</summary>
    public IReadOnlyList<int> StopTokens { get; init; } = [];
}

/// <summary>Why a sequence ended.</summary>
public enum FinishReason { Stop, Length }

/// <summary>The generated tokens of one prompt (prompt and stop token excluded).</summary>
public sealed record GeneratedSequence(IReadOnlyList<int> Tokens, FinishReason FinishReason);
