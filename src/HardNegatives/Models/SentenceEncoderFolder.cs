using System.Text.Json;
using System.Text.Json.Nodes;
using HardNegatives.Data;
using HardNegatives.Models.Checkpoints;
using HardNegatives.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>
/// The sentence-transformers folder layout: <c>modules.json</c> (Transformer at the root, <c>1_Pooling</c>, optionally
/// <c>2_Normalize</c>), <c>sentence_bert_config.json</c>, <c>config_sentence_transformers.json</c>, <c>1_Pooling/config.json</c>,
/// and the Hugging Face model files (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>, <c>tokenizer_config.json</c>,
/// <c>special_tokens_map.json</c>).
/// </summary>
public static class SentenceEncoderFolder
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Save(SentenceEncoder encoder, string folder)
    {
        Directory.CreateDirectory(folder);
        var tok = encoder.Tokenizer;
        bool distil = encoder.Transformer is DistilBertModel;
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), encoder.Transformer.ConfigJson());
        SafetensorsWriter.Save(Path.Combine(folder, SafetensorsCheckpoint.SingleFileName), StateDictLoader.StateTensors(encoder.TransformerModule));
        tok.Vocabulary.Save(Path.Combine(folder, "vocab.txt"));
        var o = tok.Options;
        Write(folder, "tokenizer_config.json", new JsonObject
        {
            ["tokenizer_class"] = distil ? "DistilBertTokenizer" : "BertTokenizer",
            ["do_lower_case"] = o.Lowercase, ["strip_accents"] = o.StripAccents, ["tokenize_chinese_chars"] = o.TokenizeChineseChars,
            ["model_max_length"] = 512, ["clean_up_tokenization_spaces"] = true,
            ["unk_token"] = o.UnkToken, ["sep_token"] = o.SepToken, ["pad_token"] = o.PadToken, ["cls_token"] = o.ClsToken, ["mask_token"] = o.MaskToken,
        });
        Write(folder, "special_tokens_map.json", new JsonObject
        {
            ["unk_token"] = o.UnkToken, ["sep_token"] = o.SepToken, ["pad_token"] = o.PadToken, ["cls_token"] = o.ClsToken, ["mask_token"] = o.MaskToken,
        });
        Write(folder, "sentence_bert_config.json", new JsonObject { ["max_seq_length"] = encoder.MaxSeqLength, ["do_lower_case"] = false });
        Write(folder, "config_sentence_transformers.json", new JsonObject
        {
            ["__version__"] = new JsonObject { ["sentence_transformers"] = "3.0.0", ["hardnegatives"] = typeof(SentenceEncoder).Assembly.GetName().Version?.ToString() },
            ["prompts"] = Prompts(encoder.Prompts), ["default_prompt_name"] = null,
            ["similarity_fn_name"] = encoder.PoolingOptions.Normalize ? "cosine" : "dot",
        });
        var p = encoder.PoolingOptions;
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        Write(folder, Path.Combine("1_Pooling", "config.json"), new JsonObject
        {
            ["word_embedding_dimension"] = encoder.Dimension,
            ["pooling_mode_cls_token"] = p.Mode == PoolingMode.Cls, ["pooling_mode_mean_tokens"] = p.Mode == PoolingMode.Mean,
            ["pooling_mode_max_tokens"] = false, ["pooling_mode_mean_sqrt_len_tokens"] = false,
            ["pooling_mode_weightedmean_tokens"] = false, ["pooling_mode_lasttoken"] = false, ["include_prompt"] = true,
        });
        var modules = new JsonArray(
            Module(0, "", "sentence_transformers.models.Transformer"),
            Module(1, "1_Pooling", "sentence_transformers.models.Pooling"));
        if (p.Normalize)
        {
            Directory.CreateDirectory(Path.Combine(folder, "2_Normalize"));
            modules.Add(Module(2, "2_Normalize", "sentence_transformers.models.Normalize"));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "modules.json"), modules.ToJsonString(Indented));
    }

    static JsonObject Prompts(EncoderPrompts prompts)
    {
        var o = new JsonObject();
        if (!string.IsNullOrEmpty(prompts.Query)) o["query"] = prompts.Query;
        if (!string.IsNullOrEmpty(prompts.Document)) o["document"] = prompts.Document;
        return o;
    }

    /// <summary>The prompts named query and document in config_sentence_transformers.json (also "passage"/"corpus" for documents).</summary>
    static EncoderPrompts ReadPrompts(string folder)
    {
        var path = Path.Combine(folder, "config_sentence_transformers.json");
        if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path)) is not JsonObject o || o["prompts"] is not JsonObject p) return EncoderPrompts.None;
        string? Get(params string[] keys) => keys.Select(k => p[k] is JsonValue v ? v.GetValue<string>() : null).FirstOrDefault(v => v is not null);
        return new EncoderPrompts(Get("query"), Get("document", "passage", "corpus"));
    }

    static JsonObject Module(int idx, string path, string type) => new() { ["idx"] = idx, ["name"] = $"{idx}", ["path"] = path, ["type"] = type };

    static void Write(string folder, string name, JsonObject json) => AtomicFile.WriteAllText(Path.Combine(folder, name), json.ToJsonString(Indented));

    public static SentenceEncoder Load(string folder, Device? device = null, ScalarType? dtype = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"model folder not found: {folder}");
        var pooling = new PoolingOptions();
        int maxSeqLength = 256;
        var modulesPath = Path.Combine(folder, "modules.json");
        var root = folder;
        if (File.Exists(modulesPath))
        {
            var modules = JsonNode.Parse(File.ReadAllText(modulesPath)) as JsonArray ?? throw new InvalidDataException($"{modulesPath}: not a JSON array");
            foreach (var m in modules.OfType<JsonObject>())
            {
                var type = m["type"]?.GetValue<string>() ?? "";
                var path = Path.Combine(folder, m["path"]?.GetValue<string>() ?? "");
                if (type.EndsWith(".Transformer", StringComparison.Ordinal)) root = path;
                else if (type.EndsWith(".Pooling", StringComparison.Ordinal)) pooling = pooling with { Mode = ReadPoolingMode(Path.Combine(path, "config.json")) };
                else if (type.EndsWith(".Normalize", StringComparison.Ordinal)) pooling = pooling with { Normalize = true };
                else throw new InvalidDataException($"{modulesPath}: module type {type} is not supported (Transformer, Pooling, Normalize are)");
            }
        }
        var stConfig = Path.Combine(root, "sentence_bert_config.json");
        if (File.Exists(stConfig) && JsonNode.Parse(File.ReadAllText(stConfig)) is JsonObject st && st["max_seq_length"] is JsonValue msl)
            maxSeqLength = msl.GetValue<int>();
        var tokenizer = BertTokenizer.FromFolder(root);
        var model = ModelFolder.LoadEncoder(root, device, dtype);
        return new SentenceEncoder(model, tokenizer, pooling, maxSeqLength, ReadPrompts(folder));
    }

    static PoolingMode ReadPoolingMode(string path)
    {
        var o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        bool Flag(string key) => o[key] is JsonValue v && v.GetValue<bool>();
        if (Flag("pooling_mode_mean_tokens")) return PoolingMode.Mean;
        if (Flag("pooling_mode_cls_token")) return PoolingMode.Cls;
        throw new InvalidDataException($"{path}: only mean and CLS pooling are supported");
    }
}
