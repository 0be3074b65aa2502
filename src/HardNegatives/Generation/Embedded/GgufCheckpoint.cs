using System.Text;
using HardNegatives.Models.Checkpoints.Gguf;
using HardNegatives.Tokenization;
using HardNegatives.Tokenization.Bpe;
using HardNegatives.Tokenization.SentencePiece;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// Decoders in GGUF, the format llama.cpp loads: Hugging Face tensor names ⇄ llama.cpp's (<c>token_embd</c>,
/// <c>blk.N.attn_q</c>, …), config ⇄ <c>{arch}.*</c> metadata, and a SentencePiece or byte-level BPE vocabulary ⇄
/// <c>tokenizer.ggml.*</c> (<see cref="GgufByteLevelVocabulary"/>).
/// Architectures: <c>llama</c> (q/k rows permuted to llama.cpp's interleaved rotary pairs, as convert_hf_to_gguf.py does),
/// <c>qwen2</c> and <c>qwen3</c> (rotate-half, unchanged).
/// </summary>
public static class GgufCheckpoint
{
    static string Arch(DecoderFamily family) => family switch
    {
        DecoderFamily.Llama => "llama",
        DecoderFamily.Qwen2 => "qwen2",
        DecoderFamily.Qwen3 => "qwen3",
        _ => throw new NotSupportedException($"GGUF export of {DecoderConfig.ArchitectureName(family)} is not supported (Llama, Qwen2, Qwen3)."),
    };

    static readonly (string Hf, string Gguf)[] LayerNames =
    [
        ("input_layernorm.weight", "attn_norm.weight"),
        ("self_attn.q_proj.weight", "attn_q.weight"), ("self_attn.k_proj.weight", "attn_k.weight"),
        ("self_attn.v_proj.weight", "attn_v.weight"), ("self_attn.o_proj.weight", "attn_output.weight"),
        ("self_attn.q_proj.bias", "attn_q.bias"), ("self_attn.k_proj.bias", "attn_k.bias"),
        ("self_attn.v_proj.bias", "attn_v.bias"), ("self_attn.o_proj.bias", "attn_output.bias"),
        ("self_attn.q_norm.weight", "attn_q_norm.weight"), ("self_attn.k_norm.weight", "attn_k_norm.weight"),
        ("post_attention_layernorm.weight", "ffn_norm.weight"),
        ("mlp.gate_proj.weight", "ffn_gate.weight"), ("mlp.up_proj.weight", "ffn_up.weight"), ("mlp.down_proj.weight", "ffn_down.weight"),
    ];

    /// <summary>The llama.cpp name of a Hugging Face decoder tensor name.</summary>
    public static string ToGgufName(string hf)
    {
        switch (hf)
        {
            case "model.embed_tokens.weight": return "token_embd.weight";
            case "model.norm.weight": return "output_norm.weight";
            case "lm_head.weight": return "output.weight";
        }
        var parts = hf.Split('.', 4);
        if (parts is ["model", "layers", var n, var rest] && LayerNames.FirstOrDefault(p => p.Hf == rest) is { Gguf: { } g }) return $"blk.{n}.{g}";
        throw new ArgumentException($"no GGUF name for tensor {hf}");
    }

    /// <summary>The Hugging Face name of a llama.cpp tensor name, or null for tensors the decoder does not use.</summary>
    public static string? ToHfName(string gguf)
    {
        switch (gguf)
        {
            case "token_embd.weight": return "model.embed_tokens.weight";
            case "output_norm.weight": return "model.norm.weight";
            case "output.weight": return "lm_head.weight";
        }
        var parts = gguf.Split('.', 3);
        return parts is ["blk", var n, var rest] && LayerNames.FirstOrDefault(p => p.Gguf == rest) is { Hf: { } h } ? $"model.layers.{n}.{h}" : null;
    }

    /// <summary>
    /// Writes a GGUF that llama.cpp loads: weights as <paramref name="type"/> (F32 or F16; norms and biases stay F32),
    /// config as metadata, and <paramref name="tokenizer"/>'s vocabulary: SentencePiece (<c>tokenizer.ggml.model = llama</c>)
    /// or byte-level BPE (<c>gpt2</c>, see <see cref="GgufByteLevelVocabulary"/>).
    /// Without a tokenizer (random-weight benchmarks and tests) a placeholder vocabulary of the model's size is written:
    /// <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, byte tokens, then pieces <c>t0</c>, <c>t1</c>, ….
    /// The file is written atomically, one tensor at a time (never a second copy of the whole model in memory).
    /// </summary>
    public static void Save(DecoderConfig config, IReadOnlyDictionary<string, Tensor> hfWeights, ITextTokenizer? tokenizer, string path,
        GgmlType type = GgmlType.F32, string? name = null)
    {
        tokenizer ??= PlaceholderVocabulary(config.VocabSize);
        var arch = Arch(config.Family);
        if (config.RopeScaling is not null || config.LongRope is not null || config.PartialRotaryFactor != 1.0)
            throw new NotSupportedException("GGUF export of rope scaling (llama3, longrope) or partial rotary is not supported yet.");
        if (tokenizer is SentencePieceBpeTokenizer { VocabSize: var n } && n != config.VocabSize)
            throw new ArgumentException($"the tokenizer has {n} tokens but the model's vocabulary is {config.VocabSize}");
        var w = new GgufWriter()
            .Add("general.architecture", arch)
            .Add("general.name", name ?? Path.GetFileNameWithoutExtension(path))
            .Add("general.file_type", type == GgmlType.F16 ? 1u : 0u)
            .Add($"{arch}.context_length", (uint)config.MaxPositionEmbeddings)
            .Add($"{arch}.embedding_length", (uint)config.HiddenSize)
            .Add($"{arch}.block_count", (uint)config.NumLayers)
            .Add($"{arch}.feed_forward_length", (uint)config.IntermediateSize)
            .Add($"{arch}.attention.head_count", (uint)config.NumHeads)
            .Add($"{arch}.attention.head_count_kv", (uint)config.NumKvHeads)
            .Add($"{arch}.attention.key_length", (uint)config.HeadDim)
            .Add($"{arch}.attention.value_length", (uint)config.HeadDim)
            .Add($"{arch}.attention.layer_norm_rms_epsilon", (float)config.RmsNormEps)
            .Add($"{arch}.rope.freq_base", (float)config.RopeTheta)
            .Add($"{arch}.rope.dimension_count", (uint)config.HeadDim)
            .Add($"{arch}.vocab_size", (uint)config.VocabSize);
        switch (tokenizer)
        {
            case SentencePieceBpeTokenizer spm: AddSentencePiece(w, spm, config); break;
            case ByteLevelBpeTokenizer bpe: GgufByteLevelVocabulary.Add(w, bpe, config); break;
            default: throw new NotSupportedException($"GGUF export of a {tokenizer.GetType().Name} vocabulary is not supported (SentencePiece or byte-level BPE).");
        }
        foreach (var (hfName, shape) in DecoderTensorLayout.Canonical(config))
        {
            var t = hfWeights.TryGetValue(hfName, out var found) ? found : throw new ArgumentException($"missing tensor {hfName}");
            // Read when the writer reaches this tensor, so only one tensor's float32 copy exists at a time.
            w.AddTensor(ToGgufName(hfName), shape, () => Float32Data(config, hfName, t, shape), shape.Length == 1 ? GgmlType.F32 : type);
        }
        w.Save(path);
    }

    // The tensor as float32 values in GGUF's layout (llama: q/k rows in interleaved rotary pairs).
    static float[] Float32Data(DecoderConfig config, string hfName, Tensor t, long[] shape)
    {
        using var scope = NewDisposeScope();
        var data = t.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        if (config.Family == DecoderFamily.Llama && hfName.EndsWith("q_proj.weight")) return ToInterleaved(data, config.NumHeads, config.HeadDim, (int)shape[1]);
        if (config.Family == DecoderFamily.Llama && hfName.EndsWith("k_proj.weight")) return ToInterleaved(data, config.NumKvHeads, config.HeadDim, (int)shape[1]);
        return data;
    }

    static SentencePieceBpeTokenizer PlaceholderVocabulary(int size)
    {
        var pieces = new List<byte[]> { "<unk>"u8.ToArray(), "<s>"u8.ToArray(), "</s>"u8.ToArray() };
        for (var b = 0; b < 256 && pieces.Count < size; b++) pieces.Add(Encoding.ASCII.GetBytes($"<0x{b:X2}>"));
        for (var i = 0; pieces.Count < size; i++) pieces.Add(Encoding.ASCII.GetBytes($"t{i}"));
        return new SentencePieceBpeTokenizer(pieces, new float[pieces.Count], new SentencePieceOptions());
    }

    static void AddSentencePiece(GgufWriter w, SentencePieceBpeTokenizer tokenizer, DecoderConfig config)
    {
        var o = tokenizer.Options;
        var tokens = new string[tokenizer.VocabSize];
        var types = new int[tokenizer.VocabSize];
        var scores = new float[tokenizer.VocabSize];
        for (var i = 0; i < tokens.Length; i++)
        {
            var piece = tokenizer.Piece(i);
            scores[i] = tokenizer.RankScore(i); // llama.cpp's SPM merges by score; a tokenizer.json's merge order becomes one
            if (i == o.Unk) { tokens[i] = "<unk>"; types[i] = 2; }
            else if (i == o.Bos) { tokens[i] = "<s>"; types[i] = 3; }
            else if (i == o.Eos) { tokens[i] = "</s>"; types[i] = 3; }
            else if (tokenizer.IsBytePiece(i)) { tokens[i] = piece; types[i] = 6; }
            else { tokens[i] = o.SpaceSymbol == " " ? piece.Replace(" ", "\u2581") : piece; types[i] = 1; }
        }
        w.Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.scores", scores)
            .Add("tokenizer.ggml.token_type", types)
            .Add("tokenizer.ggml.bos_token_id", (uint)(config.BosTokenId ?? o.Bos))
            .Add("tokenizer.ggml.eos_token_id", (uint)(config.EosTokenIds.Count > 0 ? config.EosTokenIds[0] : o.Eos))
            .Add("tokenizer.ggml.unknown_token_id", (uint)o.Unk)
            .Add("tokenizer.ggml.add_bos_token", true)
            .Add("tokenizer.ggml.add_eos_token", false);
    }

    /// <summary>Reads config and float32 weights (HF names, HF rotary layout) from a GGUF file.</summary>
    public static (DecoderConfig Config, Dictionary<string, Tensor> Weights) Read(string path)
    {
        using var f = GgufFile.Open(path);
        var arch = f.Require<string>("general.architecture");
        var family = arch switch
        {
            "llama" => DecoderFamily.Llama,
            "qwen2" => DecoderFamily.Qwen2,
            "qwen3" => DecoderFamily.Qwen3,
            _ => throw new InvalidDataException($"{path}: GGUF architecture \"{arch}\" is not supported by the TorchSharp decoder (llama, qwen2, qwen3); use --engine llamacpp."),
        };
        var embed = f.Find("token_embd.weight") ?? throw new InvalidDataException($"{path}: no token_embd.weight tensor");
        var hidden = f.Require<int>($"{arch}.embedding_length");
        var heads = f.Require<int>($"{arch}.attention.head_count");
        var headDim = f.Get($"{arch}.attention.key_length", f.Get($"{arch}.rope.dimension_count", hidden / heads));
        var eos = f.Metadata.TryGetValue("tokenizer.ggml.eos_token_id", out var e) ? [Convert.ToInt32(e)] : new List<int>();
        var config = new DecoderConfig
        {
            Family = family,
            HiddenSize = hidden,
            IntermediateSize = f.Require<int>($"{arch}.feed_forward_length"),
            NumLayers = f.Require<int>($"{arch}.block_count"),
            NumHeads = heads,
            NumKvHeads = f.Get($"{arch}.attention.head_count_kv", heads),
            HeadDim = headDim,
            VocabSize = (int)embed.Dims[1],
            MaxPositionEmbeddings = f.Get($"{arch}.context_length", 2048),
            RmsNormEps = f.Get($"{arch}.attention.layer_norm_rms_epsilon", 1e-5f),
            RopeTheta = f.Get($"{arch}.rope.freq_base", 10000f),
            TieWordEmbeddings = f.Find("output.weight") is null,
            AttentionBias = f.Find("blk.0.attn_q.bias") is not null,
            BosTokenId = f.Metadata.TryGetValue("tokenizer.ggml.bos_token_id", out var b) ? Convert.ToInt32(b) : null,
            EosTokenIds = eos,
        }.Validate(path);
        var weights = new Dictionary<string, Tensor>();
        foreach (var info in f.Tensors)
        {
            if (ToHfName(info.Name) is not { } hf) continue;
            var data = f.ReadFloats(info);
            var shape = info.TorchShape;
            if (family == DecoderFamily.Llama && hf.EndsWith("q_proj.weight")) data = Llama2cCheckpoint.ToRotateHalf(data, heads, headDim, (int)shape[1]);
            else if (family == DecoderFamily.Llama && hf.EndsWith("k_proj.weight")) data = Llama2cCheckpoint.ToRotateHalf(data, config.NumKvHeads, headDim, (int)shape[1]);
            weights[hf] = tensor(data, shape);
        }
        return (config, weights);
    }

    /// <summary>
    /// The vocabulary in a GGUF's metadata: SentencePiece (<c>tokenizer.ggml.model = llama</c>) or byte-level BPE (<c>gpt2</c>
    /// with a pre-tokenizer the kit knows); null for other tokenizers.
    /// </summary>
    public static ITextTokenizer? ReadTokenizer(string path)
    {
        using var f = GgufFile.Open(path);
        if (!f.Metadata.TryGetValue("tokenizer.ggml.tokens", out var t)) return null;
        if (f.Get("tokenizer.ggml.model", "") == "gpt2") return GgufByteLevelVocabulary.Read(f);
        if (f.Get("tokenizer.ggml.model", "") != "llama") return null;
        var tokens = (string[])t;
        var scores = f.Metadata.TryGetValue("tokenizer.ggml.scores", out var s) ? (float[])s : new float[tokens.Length];
        var options = new SentencePieceOptions(
            Bos: f.Get("tokenizer.ggml.bos_token_id", 1), Eos: f.Get("tokenizer.ggml.eos_token_id", 2), Unk: f.Get("tokenizer.ggml.unknown_token_id", 0),
            AddDummyPrefix: f.Get("tokenizer.ggml.add_space_prefix", true), SpaceSymbol: "\u2581");
        return new SentencePieceBpeTokenizer([.. tokens.Select(Encoding.UTF8.GetBytes)], scores, options);
    }

    /// <summary>Inverse of <see cref="Llama2cCheckpoint.ToRotateHalf"/>: rows h*hs + c*hs/2 + j back to h*hs + 2j + c.</summary>
    public static float[] ToInterleaved(float[] w, int heads, int headSize, int cols)
    {
        var result = new float[w.Length];
        var half = headSize / 2;
        for (var h = 0; h < heads; h++)
            for (var j = 0; j < half; j++)
                for (var c = 0; c < 2; c++)
                    Array.Copy(w, (long)(h * headSize + c * half + j) * cols, result, (long)(h * headSize + 2 * j + c) * cols, cols);
        return result;
    }
}
