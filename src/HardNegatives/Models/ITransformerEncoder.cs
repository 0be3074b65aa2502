using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>A BERT-family encoder that a <see cref="SentenceEncoder"/> can pool: DistilBERT or BERT.</summary>
public interface ITransformerEncoder
{
    /// <summary>Last hidden state [B, T, H]; <paramref name="tokenTypeIds"/> is ignored by models without token types.</summary>
    Tensor HiddenStates(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds);

    /// <summary>H.</summary>
    int HiddenSize { get; }

    /// <summary>The Hugging Face config.json of this model.</summary>
    string ConfigJson();
}
