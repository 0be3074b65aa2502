namespace HardNegatives.Generation.LlamaCpp;

/// <summary>How llama.cpp (through LLamaSharp) runs a GGUF model on the CPU.</summary>
/// <param name="ContextSize">Positions in the KV cache; 0 = the model's training context (capped at 4096).</param>
/// <param name="Threads">CPU threads; 0 = llama.cpp's default.</param>
/// <param name="Float32KvCache">Keep the KV cache in float32 (default; llama.cpp's f16 cache would round keys and values, so
/// ids could drift from a float32 reference). Off = f16, llama.cpp's own default.</param>
/// <param name="Sequences">Sequences decoded together in one batch (each with its own KV cells).</param>
public sealed record LlamaCppOptions(int ContextSize = 0, int Threads = 0, bool Float32KvCache = true, int Sequences = 1);
