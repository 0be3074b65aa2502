namespace HardNegatives.Tokenization.SentencePiece;

/// <summary>How a SentencePiece-style BPE vocabulary is used.</summary>
/// <param name="Bos">Beginning-of-sequence id (llama2.c and Llama 2: 1).</param>
/// <param name="Eos">End-of-sequence id (llama2.c and Llama 2: 2).</param>
/// <param name="Unk">Unknown-token id (0); used only when a byte has no <c>&lt;0xNN&gt;</c> piece.</param>
/// <param name="AddDummyPrefix">Prepend one space (SentencePiece's <c>add_dummy_prefix</c>) to non-empty text; default true.</param>
/// <param name="SpaceSymbol">How pieces spell a space: <c>" "</c> in llama2.c's tokenizer.bin, <c>"▁"</c> in tokenizer.json.</param>
/// <param name="HuggingFaceDecoding">Decode as Hugging Face's <c>Replace ▁, ByteFallback, Fuse, Strip(1, 0)</c> decoder
/// (one leading space removed from the whole text, special tokens skipped, control bytes kept) instead of run.c's
/// <c>decode</c> (leading space removed after BOS, lone control bytes dropped).</param>
public sealed record SentencePieceOptions(int Bos = 1, int Eos = 2, int Unk = 0, bool AddDummyPrefix = true, string SpaceSymbol = " ",
    bool HuggingFaceDecoding = false);
