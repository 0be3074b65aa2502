using LLama;
using LLama.Common;
using LLama.Native;

namespace HardNegatives.Generation.LlamaCpp;

/// <summary>
/// A GGUF model loaded by llama.cpp (LLamaSharp, CPU backend) with one context: flash attention off and, by default, a
/// float32 KV cache, so that greedy decoding is comparable with the kit's float32 TorchSharp decoder.
/// </summary>
public sealed class LlamaCppModel : IDisposable
{
    readonly LLamaWeights _weights;

    // llama.cpp logs every load step to stderr; keep only its errors (set before the native library loads).
    static LlamaCppModel()
    {
        if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
            NativeLibraryConfig.All.WithLogCallback((level, message) => { if (level == LLamaLogLevel.Error) Console.Error.Write(message); });
    }

    LlamaCppModel(string path, LLamaWeights weights, LLamaContext context, LlamaCppOptions options)
    {
        Path = path;
        _weights = weights;
        Context = context;
        Options = options;
    }

    public string Path { get; }
    public LlamaCppOptions Options { get; }
    public LLamaContext Context { get; }

    /// <summary>llama.cpp's weights handle (for its chat templates and vocabulary).</summary>
    public LLamaWeights Weights => _weights;
    public int VocabSize => Context.Vocab.Count;
    public int ContextSize => (int)Context.ContextSize;
    public int? Bos => Context.Vocab.BOS is { } b ? (int)b : null;
    public int? Eos => Context.Vocab.EOS is { } e ? (int)e : null;

    /// <summary>The GGUF metadata llama.cpp read (e.g. <c>tokenizer.chat_template</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _weights.Metadata;

    public static LlamaCppModel Load(string path, LlamaCppOptions? options = null)
    {
        options ??= new LlamaCppOptions();
        if (!File.Exists(path)) throw new FileNotFoundException($"GGUF model not found: {path}", path);
        var p = new ModelParams(path)
        {
            GpuLayerCount = 0,
            FlashAttention = false,
            SeqMax = (uint)Math.Max(1, options.Sequences),
        };
        if (options.ContextSize > 0) p.ContextSize = (uint)options.ContextSize;
        if (options.Threads > 0) { p.Threads = options.Threads; p.BatchThreads = options.Threads; }
        if (options.Float32KvCache) { p.TypeK = GGMLType.GGML_TYPE_F32; p.TypeV = GGMLType.GGML_TYPE_F32; }
        var weights = LLamaWeights.LoadFromFile(p);
        try
        {
            if (options.ContextSize <= 0) p.ContextSize = (uint)Math.Min(weights.ContextSize, 4096);
            p.BatchSize = p.ContextSize ?? 512;
            p.UBatchSize = p.BatchSize;
            return new LlamaCppModel(path, weights, weights.CreateContext(p), options);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>Token ids of <paramref name="text"/> by llama.cpp's own tokenizer; special tokens written as text are recognized when <paramref name="special"/>.</summary>
    public int[] Tokenize(string text, bool addBos, bool special = true) => [.. Context.Tokenize(text, addBos, special).Select(t => (int)t)];

    /// <summary>
    /// The text of <paramref name="ids"/> by llama.cpp's own detokenizer: each token's piece (<c>llama_token_to_piece</c>;
    /// special tokens written out when <paramref name="special"/>), the bytes joined, then read as UTF-8.
    /// Not LLamaSharp's StreamingTokenDecoder: in 0.30.0 it drops special tokens longer than 16 bytes (its retry with a
    /// larger buffer passes special: false).
    /// </summary>
    public string Detokenize(IEnumerable<int> ids, bool special = true)
    {
        var bytes = new List<byte>();
        var buffer = new byte[64];
        foreach (var id in ids)
        {
            var n = (int)_weights.NativeHandle.TokenToSpan((LLamaToken)id, buffer, 0, special);
            if (n > buffer.Length)
            {
                buffer = new byte[n];
                n = (int)_weights.NativeHandle.TokenToSpan((LLamaToken)id, buffer, 0, special);
            }
            bytes.AddRange(buffer.AsSpan(0, n));
        }
        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>True for tokens that end generation (EOS, EOT, …) in llama.cpp's vocabulary.</summary>
    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_weights.NativeHandle.Vocab);

    /// <summary>Forgets everything in the KV cache.</summary>
    public void Reset() => Context.NativeHandle.MemoryClear();

    /// <summary>
    /// Runs <paramref name="tokens"/> at positions <paramref name="start"/>… in sequence <paramref name="sequence"/> and
    /// returns the logits of every position when <paramref name="allLogits"/>, else of the last one only.
    /// </summary>
    public float[][] Decode(IReadOnlyList<int> tokens, int start = 0, int sequence = 0, bool allLogits = false)
    {
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Count; i++)
            batch.Add((LLamaToken)tokens[i], (LLamaPos)(start + i), (LLamaSeqId)sequence, allLogits || i == tokens.Count - 1);
        var result = Context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode failed ({result}) at positions {start}..{start + tokens.Count - 1} of a {ContextSize}-position context");
        var rows = new List<float[]>();
        for (var i = allLogits ? 0 : tokens.Count - 1; i < tokens.Count; i++) rows.Add(Context.NativeHandle.GetLogitsIth(i).ToArray());
        return [.. rows];
    }

    /// <summary>
    /// Runs one batch of (token, position, sequence) entries, several sequences at once (up to <see cref="LlamaCppOptions.Sequences"/>),
    /// and returns the logits of the entries marked <c>Logits</c>, in order.
    /// </summary>
    public float[][] DecodeBatch(IReadOnlyList<(int Token, int Position, int Sequence, bool Logits)> entries)
    {
        var batch = new LLamaBatch();
        var marked = new List<int>();
        foreach (var (token, pos, seq, logits) in entries)
        {
            var index = batch.Add((LLamaToken)token, (LLamaPos)pos, (LLamaSeqId)seq, logits);
            if (logits) marked.Add(index);
        }
        var result = Context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode of {entries.Count} tokens failed ({result}); context {ContextSize} positions, {Options.Sequences} sequences");
        return [.. marked.Select(i => Context.NativeHandle.GetLogitsIth(i).ToArray())];
    }

    public void Dispose()
    {
        Context.Dispose();
        _weights.Dispose();
    }
}
