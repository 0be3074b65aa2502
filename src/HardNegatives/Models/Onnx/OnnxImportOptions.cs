namespace HardNegatives.Models.Onnx;

/// <summary>How an imported ONNX encoder becomes a sentence-transformers model folder.</summary>
/// <param name="Pooling">Mean (default) or CLS pooling, and whether to L2-normalise (default false).</param>
/// <param name="MaxSeqLength">Tokens per text, [CLS]/[SEP] included (sentence-transformers' max_seq_length). Default 256.</param>
/// <param name="QueryPrompt">Text put before every query (e.g. "query: "), saved as the prompt named "query". Default none.</param>
/// <param name="DocumentPrompt">Text put before every document (e.g. "passage: "), saved as the prompt named "document". Default none.</param>
/// <param name="NumAttentionHeads">Heads, only where the graph does not show them. Default: read from the graph.</param>
/// <param name="Lowercase">Whether the tokenizer lowercases and strips accents (uncased BERT vocabularies). Default true.</param>
public sealed record OnnxImportOptions(
    PoolingOptions? Pooling = null,
    int MaxSeqLength = 256,
    string? QueryPrompt = null,
    string? DocumentPrompt = null,
    int? NumAttentionHeads = null,
    bool Lowercase = true);
