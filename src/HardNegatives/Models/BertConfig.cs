using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Models;

/// <summary>
/// BERT hyper-parameters with Hugging Face's <c>config.json</c> names; defaults are <c>bert-base-uncased</c>'s
/// (<c>cross-encoder/ms-marco-MiniLM-L-6-v2</c> is a BERT with HiddenSize 384, 6 layers, 12 heads, intermediate 1536, 1 label).
/// </summary>
/// <param name="NumLabels">Outputs of the sequence-classification head (1 for a relevance cross-encoder). Default 2, as in HF.</param>
public sealed record BertConfig(
    int VocabSize = 30522,
    int HiddenSize = 768,
    int NumHiddenLayers = 12,
    int NumAttentionHeads = 12,
    int IntermediateSize = 3072,
    string HiddenAct = "gelu",
    double HiddenDropoutProb = 0.1,
    double AttentionProbsDropoutProb = 0.1,
    int MaxPositionEmbeddings = 512,
    int TypeVocabSize = 2,
    double LayerNormEps = 1e-12,
    int PadTokenId = 0,
    double InitializerRange = 0.02,
    int NumLabels = 2,
    double? ClassifierDropout = null)
{
    /// <summary>The value of <c>model_type</c> in config.json.</summary>
    public const string ModelType = "bert";

    public int HeadDim => HiddenSize / NumAttentionHeads;

    public BertConfig Validate()
    {
        if (VocabSize < 1 || HiddenSize < 1 || NumHiddenLayers < 1 || NumAttentionHeads < 1 || IntermediateSize < 1 || MaxPositionEmbeddings < 1 || TypeVocabSize < 1 || NumLabels < 1)
            throw new ArgumentException($"BERT config has a non-positive size: {this}");
        if (HiddenSize % NumAttentionHeads != 0) throw new ArgumentException($"BERT hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        Activations.Check(HiddenAct);
        return this;
    }

    /// <summary>Parses a Hugging Face BERT <c>config.json</c>; <c>num_labels</c> falls back to the size of <c>id2label</c>.</summary>
    public static BertConfig FromJson(string json, string source = "config.json")
    {
        var o = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: not a JSON object");
        if (o["position_embedding_type"] is JsonValue pe && pe.GetValue<string>() != "absolute")
            throw new InvalidDataException($"{source}: position_embedding_type {pe} is not supported (only absolute)");
        var d = new BertConfig();
        int labels = o["num_labels"] is JsonValue nl ? nl.GetValue<int>() : o["id2label"] is JsonObject id2label ? id2label.Count : d.NumLabels;
        return new BertConfig(
            ConfigJson.Int(o, "vocab_size", d.VocabSize, source), ConfigJson.Int(o, "hidden_size", d.HiddenSize, source),
            ConfigJson.Int(o, "num_hidden_layers", d.NumHiddenLayers, source), ConfigJson.Int(o, "num_attention_heads", d.NumAttentionHeads, source),
            ConfigJson.Int(o, "intermediate_size", d.IntermediateSize, source), ConfigJson.String(o, "hidden_act", d.HiddenAct, source),
            ConfigJson.Double(o, "hidden_dropout_prob", d.HiddenDropoutProb, source),
            ConfigJson.Double(o, "attention_probs_dropout_prob", d.AttentionProbsDropoutProb, source),
            ConfigJson.Int(o, "max_position_embeddings", d.MaxPositionEmbeddings, source), ConfigJson.Int(o, "type_vocab_size", d.TypeVocabSize, source),
            ConfigJson.Double(o, "layer_norm_eps", d.LayerNormEps, source), ConfigJson.Int(o, "pad_token_id", d.PadTokenId, source),
            ConfigJson.Double(o, "initializer_range", d.InitializerRange, source), labels,
            o["classifier_dropout"] is JsonValue cd ? cd.GetValue<double>() : null).Validate();
    }

    /// <summary>A Hugging Face <c>config.json</c> (architectures: BertModel or BertForSequenceClassification).</summary>
    public string ToJson(string architecture = "BertModel")
    {
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray(architecture),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize, ["hidden_size"] = HiddenSize, ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads, ["intermediate_size"] = IntermediateSize, ["hidden_act"] = HiddenAct,
            ["hidden_dropout_prob"] = HiddenDropoutProb, ["attention_probs_dropout_prob"] = AttentionProbsDropoutProb,
            ["max_position_embeddings"] = MaxPositionEmbeddings, ["type_vocab_size"] = TypeVocabSize, ["layer_norm_eps"] = LayerNormEps,
            ["pad_token_id"] = PadTokenId, ["initializer_range"] = InitializerRange, ["position_embedding_type"] = "absolute",
            ["classifier_dropout"] = ClassifierDropout, ["torch_dtype"] = "float32",
        };
        if (architecture.EndsWith("ForSequenceClassification", StringComparison.Ordinal))
        {
            var id2label = new JsonObject();
            var label2id = new JsonObject();
            for (int i = 0; i < NumLabels; i++) { id2label[$"{i}"] = $"LABEL_{i}"; label2id[$"LABEL_{i}"] = i; }
            o["id2label"] = id2label;
            o["label2id"] = label2id;
        }
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
