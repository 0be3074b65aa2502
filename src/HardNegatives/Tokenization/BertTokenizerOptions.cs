namespace HardNegatives.Tokenization;

/// <summary>
/// Settings of a BERT WordPiece tokenizer; the defaults are <c>bert-base-uncased</c>'s (also DistilBERT's and the
/// MiniLM cross-encoders').
/// </summary>
/// <param name="Lowercase">Lowercase the text (<c>do_lower_case</c>). Default true.</param>
/// <param name="StripAccents">Strip accents; null follows <paramref name="Lowercase"/> as Hugging Face does. Default null.</param>
/// <param name="TokenizeChineseChars">Put spaces around CJK ideographs. Default true.</param>
/// <param name="MaxInputCharsPerWord">Longer words (in code points) become <c>[UNK]</c>. Default 100.</param>
public sealed record BertTokenizerOptions(
    bool Lowercase = true,
    bool? StripAccents = null,
    bool TokenizeChineseChars = true,
    int MaxInputCharsPerWord = 100,
    string UnkToken = "[UNK]",
    string ClsToken = "[CLS]",
    string SepToken = "[SEP]",
    string PadToken = "[PAD]",
    string MaskToken = "[MASK]",
    string ContinuingSubwordPrefix = "##")
{
    /// <summary>Options for a cased vocabulary (no lowercasing, accents kept).</summary>
    public static BertTokenizerOptions Cased { get; } = new(Lowercase: false);
}
