namespace HardNegatives.Tokenization.Bpe;

/// <summary>An entry of tokenizer.json's <c>added_tokens</c>: matched in raw text before any pre-tokenization.</summary>
public sealed record AddedToken(int Id, string Content, bool Special, bool LStrip = false, bool RStrip = false);
