namespace HardNegatives.Generation.Embedded;

/// <summary>Named decoder shapes for benchmarks and smoke runs (random weights).</summary>
public static class DecoderShapes
{
    /// <summary>Qwen2.5-0.5B: hidden 896, 24 layers, 14 query / 2 kv heads of 64, vocab 151936, tied embeddings (494M parameters).</summary>
    public static DecoderConfig Qwen25HalfB { get; } = new()
    {
        Family = DecoderFamily.Qwen2, HiddenSize = 896, IntermediateSize = 4864, NumLayers = 24, NumHeads = 14, NumKvHeads = 2,
        HeadDim = 64, VocabSize = 151936, MaxPositionEmbeddings = 32768, RmsNormEps = 1e-6, RopeTheta = 1000000,
        TieWordEmbeddings = true, AttentionBias = true,
    };

    /// <summary>A few-million-parameter Llama for quick runs.</summary>
    public static DecoderConfig Tiny { get; } = new()
    {
        Family = DecoderFamily.Llama, HiddenSize = 256, IntermediateSize = 688, NumLayers = 4, NumHeads = 8, NumKvHeads = 4,
        HeadDim = 32, VocabSize = 4096, MaxPositionEmbeddings = 8192, RmsNormEps = 1e-5, RopeTheta = 10000,
    };
}
