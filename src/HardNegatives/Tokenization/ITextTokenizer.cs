namespace HardNegatives.Tokenization;

/// <summary>A decoder-LM tokenizer as a sampler needs it: text to ids (no BOS/EOS added) and ids back to text, streaming.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids.</summary>
    int VocabSize { get; }

    /// <summary>Token ids of <paramref name="text"/>, without BOS or EOS.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>
    /// A fresh incremental decoder; <paramref name="previous"/> is the token before the first one appended (BOS when the
    /// sequence starts with it: SentencePiece drops the dummy-prefix space after BOS).
    /// </summary>
    ITokenTextStream NewTextStream(int previous = -1);
}

/// <summary>Incremental detokenization: each token's newly complete text.</summary>
public interface ITokenTextStream
{
    /// <summary>The text that became complete with <paramref name="token"/> (may be empty while a UTF-8 sequence is split).</summary>
    string Append(int token);

    /// <summary>What is still held back at the end, as U+FFFD for an unfinished UTF-8 sequence.</summary>
    string Flush();
}
