using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Generation.Embedded;

/// <summary>The decoder families the embedded generator runs; each maps to a Hugging Face <c>architectures</c> entry.</summary>
public enum DecoderFamily
{
    /// <summary><c>LlamaForCausalLM</c> (Llama 2/3, llama2.c checkpoints).</summary>
    Llama,
    /// <summary><c>Qwen2ForCausalLM</c>: Llama plus biases on the q/k/v projections.</summary>
    Qwen2,
    /// <summary><c>Qwen3ForCausalLM</c>: Llama plus per-head RMSNorm on queries and keys, explicit <c>head_dim</c>.</summary>
    Qwen3,
    /// <summary><c>Phi3ForCausalLM</c> (Phi-3, Phi-4): fused <c>qkv_proj</c> and <c>gate_up_proj</c>, optional partial rotary.</summary>
    Phi3,
}

/// <summary>Llama 3 rotary frequency scaling (<c>rope_scaling.rope_type = "llama3"</c>), as in HF's <c>_compute_llama3_parameters</c>.</summary>
public sealed record Llama3RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);

/// <summary>
/// Phi-3/Phi-4-mini "longrope" (<c>rope_scaling.type = "longrope"</c>), as in HF's <c>_compute_longrope_parameters</c>:
/// per-frequency divisors (short ones within the original context) and cos/sin scaled by <see cref="AttentionFactor"/>.
/// Only the short-factor regime is implemented: sequences longer than the original context are refused.
/// </summary>
public sealed record LongRopeScaling(IReadOnlyList<double> ShortFactor, IReadOnlyList<double> LongFactor, int OriginalMaxPositionEmbeddings, double AttentionFactor);

/// <summary>
/// The shape of a decoder-only transformer, read from (and written to) a Hugging Face <c>config.json</c>.
/// Defaults follow <c>transformers</c>' config classes where a key may be absent.
/// </summary>
public sealed record DecoderConfig
{
    public DecoderFamily Family { get; init; } = DecoderFamily.Llama;
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKvHeads { get; init; }
    /// <summary>Per-head width; <c>hidden_size / num_attention_heads</c> unless the config says otherwise (Qwen3 does).</summary>
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public Llama3RopeScaling? RopeScaling { get; init; }
    /// <summary>Phi-3/Phi-4-mini longrope scaling, when configured.</summary>
    public LongRopeScaling? LongRope { get; init; }
    /// <summary>Fraction of each head that is rotated (Phi-3/4 <c>partial_rotary_factor</c>); 1 elsewhere.</summary>
    public double PartialRotaryFactor { get; init; } = 1.0;
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Biases on q/k/v (and on o for Llama's and Qwen3's <c>attention_bias</c>; Qwen2 always has q/k/v biases only).</summary>
    public bool AttentionBias { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>Width of the rotated part of each head (even).</summary>
    public int RotaryDim => (int)(HeadDim * PartialRotaryFactor) / 2 * 2;

    public static string ArchitectureName(DecoderFamily family) => family switch
    {
        DecoderFamily.Llama => "LlamaForCausalLM",
        DecoderFamily.Qwen2 => "Qwen2ForCausalLM",
        DecoderFamily.Qwen3 => "Qwen3ForCausalLM",
        DecoderFamily.Phi3 => "Phi3ForCausalLM",
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    /// <summary>Checks the numbers fit together; throws <see cref="InvalidDataException"/> naming the bad field.</summary>
    public DecoderConfig Validate(string source = "config")
    {
        void Need(bool ok, string what) { if (!ok) throw new InvalidDataException($"{source}: {what}"); }
        Need(HiddenSize > 0 && IntermediateSize > 0 && NumLayers > 0 && VocabSize > 0, "hidden_size, intermediate_size, num_hidden_layers and vocab_size must be positive");
        Need(NumHeads > 0 && NumKvHeads > 0 && NumHeads % NumKvHeads == 0, $"num_attention_heads ({NumHeads}) must be a positive multiple of num_key_value_heads ({NumKvHeads})");
        Need(HeadDim > 0 && HeadDim % 2 == 0, $"head_dim ({HeadDim}) must be positive and even");
        Need(RotaryDim > 0, $"partial_rotary_factor {PartialRotaryFactor} leaves nothing to rotate");
        Need(LongRope is null || (LongRope.ShortFactor.Count == RotaryDim / 2 && LongRope.LongFactor.Count == RotaryDim / 2),
            $"longrope short_factor/long_factor need {RotaryDim / 2} entries (rotary_dim / 2)");
        return this;
    }

    /// <summary>Reads a Hugging Face <c>config.json</c>. Unknown architectures and unsupported rope scaling are errors.</summary>
    public static DecoderConfig Load(string configPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject
            ?? throw new InvalidDataException($"{configPath}: not a JSON object");
        var archs = root["architectures"]?.AsArray().Select(a => a?.GetValue<string>()).ToList() ?? [];
        var family = archs switch
        {
            _ when archs.Contains("LlamaForCausalLM") => DecoderFamily.Llama,
            _ when archs.Contains("Qwen2ForCausalLM") => DecoderFamily.Qwen2,
            _ when archs.Contains("Qwen3ForCausalLM") => DecoderFamily.Qwen3,
            _ when archs.Contains("Phi3ForCausalLM") => DecoderFamily.Phi3,
            _ => throw new InvalidDataException(
                $"{configPath}: architecture [{string.Join(", ", archs)}] is not supported; the embedded decoder runs LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM and Phi3ForCausalLM (Phi-3, Phi-4)."),
        };
        int Int(string key) => root[key]?.GetValue<int>() ?? throw new InvalidDataException($"{configPath}: missing \"{key}\"");
        double Dbl(string key, double fallback) => root[key] is JsonValue v ? v.GetValue<double>() : fallback;
        var hidden = Int("hidden_size");
        var heads = Int("num_attention_heads");
        var ropeTheta = Dbl("rope_theta", 10000.0);
        var ropeParams = root["rope_parameters"] as JsonObject; // transformers >= 4.56 may nest theta and scaling here
        if (ropeParams?["rope_theta"] is JsonValue rt) ropeTheta = rt.GetValue<double>();
        var scalingNode = (root["rope_scaling"] as JsonObject) ?? ropeParams;
        var longRope = ParseLongRope(configPath, root, scalingNode);
        var scaling = longRope is null ? ParseRopeScaling(configPath, scalingNode) : null;
        var eos = root["eos_token_id"] switch
        {
            JsonArray a => a.Select(x => x!.GetValue<int>()).ToList(),
            JsonValue v => [v.GetValue<int>()],
            _ => new List<int>(),
        };
        return new DecoderConfig
        {
            Family = family,
            HiddenSize = hidden,
            IntermediateSize = Int("intermediate_size"),
            NumLayers = Int("num_hidden_layers"),
            NumHeads = heads,
            NumKvHeads = root["num_key_value_heads"]?.GetValue<int?>() ?? heads,
            HeadDim = root["head_dim"]?.GetValue<int?>() ?? hidden / heads,
            VocabSize = Int("vocab_size"),
            MaxPositionEmbeddings = root["max_position_embeddings"]?.GetValue<int?>() ?? 2048,
            RmsNormEps = Dbl("rms_norm_eps", 1e-6),
            RopeTheta = ropeTheta,
            RopeScaling = scaling,
            LongRope = longRope,
            PartialRotaryFactor = Dbl("partial_rotary_factor", 1.0),
            TieWordEmbeddings = root["tie_word_embeddings"]?.GetValue<bool?>() ?? false,
            AttentionBias = family == DecoderFamily.Qwen2 || (root["attention_bias"]?.GetValue<bool?>() ?? false),
            BosTokenId = root["bos_token_id"]?.GetValue<int?>(),
            EosTokenIds = eos,
        }.Validate(configPath);
    }

    static LongRopeScaling? ParseLongRope(string path, JsonObject root, JsonObject? s)
    {
        if ((s?["rope_type"] ?? s?["type"])?.GetValue<string>() is not ("longrope" or "su")) return null;
        double[] Factors(string k) => (s![k] as JsonArray ?? throw new InvalidDataException($"{path}: rope_scaling (longrope) lacks \"{k}\""))
            .Select(x => x!.GetValue<double>()).ToArray();
        var maxPos = root["max_position_embeddings"]?.GetValue<int?>() ?? 2048;
        // HF: a top-level original_max_position_embeddings (Phi-3) makes factor = max / original; else rope_scaling.factor.
        int original;
        double factor;
        if (root["original_max_position_embeddings"]?.GetValue<int?>() is { } o) { original = o; factor = (double)maxPos / o; }
        else { original = maxPos; factor = s!["factor"]?.GetValue<double?>() ?? 1.0; }
        var attention = s!["attention_factor"]?.GetValue<double?>()
            ?? (factor <= 1.0 ? 1.0 : Math.Sqrt(1 + Math.Log(factor) / Math.Log(original)));
        return new LongRopeScaling(Factors("short_factor"), Factors("long_factor"), original, attention);
    }

    static Llama3RopeScaling? ParseRopeScaling(string path, JsonObject? s)
    {
        if (s is null) return null;
        var type = (s["rope_type"] ?? s["type"])?.GetValue<string>();
        switch (type)
        {
            case null or "default": return null;
            case "llama3":
                double D(string k) => s[k]?.GetValue<double>() ?? throw new InvalidDataException($"{path}: rope_scaling (llama3) lacks \"{k}\"");
                return new Llama3RopeScaling(D("factor"), D("low_freq_factor"), D("high_freq_factor"), (int)D("original_max_position_embeddings"));
            default:
                throw new InvalidDataException($"{path}: rope_scaling type \"{type}\" is not supported by the embedded decoder (supported: none/default, llama3, longrope within the original context); yarn, dynamic and linear are not implemented.");
        }
    }

    /// <summary>The Hugging Face <c>config.json</c> text for this shape, so exported checkpoints load in <c>transformers</c>.</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray(ArchitectureName(Family)),
            ["model_type"] = Family switch { DecoderFamily.Llama => "llama", DecoderFamily.Qwen2 => "qwen2", DecoderFamily.Qwen3 => "qwen3", _ => "phi3" },
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumLayers,
            ["num_attention_heads"] = NumHeads,
            ["num_key_value_heads"] = NumKvHeads,
            ["head_dim"] = HeadDim,
            ["vocab_size"] = VocabSize,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["hidden_act"] = "silu",
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["attention_bias"] = AttentionBias,
            ["torch_dtype"] = "float32",
        };
        if (PartialRotaryFactor != 1.0) o["partial_rotary_factor"] = PartialRotaryFactor;
        if (RopeScaling is { } r)
            o["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3", ["factor"] = r.Factor, ["low_freq_factor"] = r.LowFreqFactor,
                ["high_freq_factor"] = r.HighFreqFactor, ["original_max_position_embeddings"] = r.OriginalMaxPositionEmbeddings,
            };
        if (LongRope is { } lr)
        {
            o["original_max_position_embeddings"] = lr.OriginalMaxPositionEmbeddings;
            o["rope_scaling"] = new JsonObject
            {
                ["type"] = "longrope", ["attention_factor"] = lr.AttentionFactor,
                ["short_factor"] = new JsonArray(lr.ShortFactor.Select(f => (JsonNode)f).ToArray()),
                ["long_factor"] = new JsonArray(lr.LongFactor.Select(f => (JsonNode)f).ToArray()),
            };
        }
        if (BosTokenId is { } bos) o["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) o["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) o["eos_token_id"] = new JsonArray(EosTokenIds.Select(e => (JsonNode)e).ToArray());
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
