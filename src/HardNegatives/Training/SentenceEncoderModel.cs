using HardNegatives.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>The kit's <see cref="SentenceEncoder"/> (DistilBERT or BERT + pooling) as the trainer's <see cref="IEmbeddingModel"/>.</summary>
public sealed class SentenceEncoderModel(SentenceEncoder encoder) : IEmbeddingModel, IDisposable
{
    public SentenceEncoder Encoder { get; } = encoder;
    public nn.Module Module => Encoder;
    public Device Device => Encoder.Device;
    public Tensor Encode(IReadOnlyList<string> texts) => Encoder.Encode(texts);

    /// <summary>A sentence-transformers folder (config, safetensors, tokenizer, pooling) that Python's SentenceTransformer also loads.</summary>
    public void Save(string directory) => Encoder.Save(directory);

    public void Dispose() => Encoder.Dispose();
}
