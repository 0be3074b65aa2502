using HardNegatives.Models.Checkpoints.Gguf;
using HardNegatives.Tokenization.Bpe;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// A byte-level BPE tokenizer (GPT-2, Llama 3, Qwen2/3) as GGUF metadata, the way llama.cpp's convert_hf_to_gguf.py writes
/// it: <c>tokenizer.ggml.model = gpt2</c>, tokens in GPT-2's byte alphabet (added tokens verbatim), token types, merges
/// "left right" in rank order, and <c>tokenizer.ggml.pre</c>, the name under which llama.cpp keeps its own copy of the
/// pre-tokenizer's regex. That name is chosen here from the tokenizer.json's split regex (convert_hf_to_gguf.py hashes
/// the tokenization of a test text instead); a regex llama.cpp has no name for is refused, since any other name would
/// tokenize differently.
/// </summary>
public static class GgufByteLevelVocabulary
{
    /// <summary>Llama 3's split (also cl100k's): letters with one leading non-letter, digits in threes.</summary>
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2/Qwen3's split: as Llama 3's, but every digit alone.</summary>
    public const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // llama.cpp token types (llama_token_type).
    const int Normal = 1, Control = 3, UserDefined = 4, Unused = 5;

    /// <summary>
    /// llama.cpp's pre-tokenizer name for <paramref name="tokenizer"/> (<c>llama-bpe</c>, <c>dbrx</c>, <c>qwen2</c>,
    /// <c>gpt-2</c>), or an error that names the unsupported setting. llama.cpp ties <c>ignore_merges</c> to the name
    /// (on for llama-bpe only), so the tokenizer's own setting picks between the names that share a regex.
    /// </summary>
    public static string PreTokenizerName(ByteLevelBpeTokenizer tokenizer)
    {
        if (tokenizer.AddsPrefixSpace)
            throw new NotSupportedException("GGUF export of a byte-level tokenizer with add_prefix_space is not supported (llama.cpp's BPE adds no prefix space).");
        var name = tokenizer.SplitPatterns switch
        {
            [Llama3Pattern] => tokenizer.IgnoreMerges ? "llama-bpe" : "dbrx",
            [Qwen2Pattern] when !tokenizer.IgnoreMerges => "qwen2",
            [ByteLevelBpeTokenizer.Gpt2Pattern] when !tokenizer.IgnoreMerges => "gpt-2",
            _ => null,
        };
        return name ?? throw new NotSupportedException(
            $"GGUF export: llama.cpp has no pre-tokenizer for this tokenizer's split regex [{string.Join(", ", tokenizer.SplitPatterns)}] " +
            $"with ignore_merges={tokenizer.IgnoreMerges}; supported: Llama 3's (llama-bpe/dbrx), Qwen2's (qwen2), GPT-2's ByteLevel regex (gpt-2).");
    }

    /// <summary>The split regex of a llama.cpp pre-tokenizer name this kit writes, with its <c>ignore_merges</c>; null for others.</summary>
    public static (string Pattern, bool IgnoreMerges)? SplitOf(string pre) => pre switch
    {
        "llama-bpe" or "llama3" or "llama-v3" => (Llama3Pattern, true),
        "dbrx" => (Llama3Pattern, false),
        "qwen2" => (Qwen2Pattern, false),
        "gpt-2" => (ByteLevelBpeTokenizer.Gpt2Pattern, false),
        _ => null,
    };

    /// <summary>
    /// Writes the <c>tokenizer.ggml.*</c> keys. Ids the tokenizer lacks up to the model's vocabulary size (Qwen pads its
    /// embedding) become unused <c>[PAD<i>n</i>]</c> tokens, as convert_hf_to_gguf.py writes them. BOS/EOS come from the
    /// model config, else from the post-processor's leading special token; BOS is added when the post-processor adds it.
    /// </summary>
    public static void Add(GgufWriter w, ByteLevelBpeTokenizer tokenizer, DecoderConfig config)
    {
        if (tokenizer.VocabSize > config.VocabSize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabSize} ids but the model's vocabulary is {config.VocabSize}");
        var pre = PreTokenizerName(tokenizer);
        var tokens = new string[config.VocabSize];
        var types = new int[config.VocabSize];
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokenizer.IdToToken(i);
            (tokens[i], types[i]) = token is null ? ($"[PAD{i}]", Unused)
                : tokenizer.IsAdded(i, out var added) ? (token, added.Special ? Control : UserDefined)
                : (token, Normal);
        }
        w.Add("tokenizer.ggml.model", "gpt2")
            .Add("tokenizer.ggml.pre", pre)
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.token_type", types)
            .Add("tokenizer.ggml.merges", [.. tokenizer.Merges.Select(m => $"{m.Left} {m.Right}")]);
        if ((config.BosTokenId ?? tokenizer.PrependedSpecialToken) is { } bos) w.Add("tokenizer.ggml.bos_token_id", (uint)bos);
        if (config.EosTokenIds.Count > 0) w.Add("tokenizer.ggml.eos_token_id", (uint)config.EosTokenIds[0]);
        w.Add("tokenizer.ggml.add_bos_token", tokenizer.PrependedSpecialToken is not null)
            .Add("tokenizer.ggml.add_eos_token", false);
    }

    /// <summary>The byte-level tokenizer stored in a GGUF's metadata (<c>tokenizer.ggml.model = gpt2</c>), or null when its pre-tokenizer is not one this kit knows.</summary>
    public static ByteLevelBpeTokenizer? Read(GgufFile f)
    {
        if (SplitOf(f.Get("tokenizer.ggml.pre", "")) is not var (pattern, ignoreMerges)) return null;
        var tokens = (string[])f.Metadata["tokenizer.ggml.tokens"];
        var types = f.Metadata.TryGetValue("tokenizer.ggml.token_type", out var t) ? (int[])t : new int[tokens.Length];
        var vocab = new Dictionary<string, int>();
        var added = new List<AddedToken>();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (types[i] is Control or UserDefined) added.Add(new AddedToken(i, tokens[i], Special: types[i] == Control));
            else if (types[i] != Unused) vocab.TryAdd(tokens[i], i);
        }
        var merges = f.Metadata.TryGetValue("tokenizer.ggml.merges", out var m) ? (string[])m : [];
        var addBos = f.Get("tokenizer.ggml.add_bos_token", false);
        int? bos = addBos && f.Metadata.TryGetValue("tokenizer.ggml.bos_token_id", out var b) ? Convert.ToInt32(b) : null;
        return ByteLevelBpeTokenizer.Create(vocab,
            merges.Select((s, i) => s.Split(' ') is [var l, var r] ? (l, r) : throw new InvalidDataException($"{f.Path}: merge {i} \"{s}\" is not \"left right\"")),
            [pattern], added, ignoreMerges, bos);
    }
}
