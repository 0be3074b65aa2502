using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// What the trainer needs from a bi-encoder: a module that owns the trainable parameters, and a text → embedding function
/// that keeps the autograd graph when gradients are enabled. Queries and passages share the same weights.
/// </summary>
/// <remarks>
/// The trainer never looks inside the module; it only calls <c>parameters()</c>, <c>train()</c>/<c>eval()</c> and
/// saves/loads its state for checkpoints. Any TorchSharp model (DistilBERT, a test's bag of embeddings) fits.
/// </remarks>
public interface IEmbeddingModel
{
    /// <summary>The module that holds every trainable parameter (checkpointed with <c>Module.save</c>/<c>load</c>).</summary>
    nn.Module Module { get; }

    /// <summary>The device the module lives on; batches are encoded there.</summary>
    Device Device { get; }

    /// <summary>Embeds <paramref name="texts"/> as a <c>[texts.Count, H]</c> float tensor, with the graph attached when grad is enabled.</summary>
    Tensor Encode(IReadOnlyList<string> texts);

    /// <summary>Writes the model in its own shareable format (e.g. a sentence-transformers folder) to <paramref name="directory"/>.</summary>
    void Save(string directory);
}
