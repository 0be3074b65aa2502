using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Models;

/// <summary>
/// DistilBERT hyper-parameters with Hugging Face's <c>config.json</c> names; defaults are <c>distilbert-base-uncased</c>'s.
/// For small random models in tests use e.g. <c>new DistilBertConfig(VocabSize: 100, Dim: 32, NLayers: 2, NHeads: 4, HiddenDim: 64)</c>.
/// </summary>
/// <param name="VocabSize">Rows of the word-embedding matrix. Default 30522.</param>
/// <param name="Dim">Hidden size. Default 768.</param>
/// <param name="NLayers">Transformer blocks. Default 6.</param>
/// <param name="NHeads">Attention heads (must divide <paramref name="Dim"/>). Default 12.</param>
/// <param name="HiddenDim">Feed-forward inner size. Default 3072.</param>
/// <param name="MaxPositionEmbeddings">Longest sequence. Default 512.</param>
/// <param name="Dropout">Dropout after embeddings, attention output and FFN. Default 0.1.</param>
/// <param name="AttentionDropout">Dropout on attention probabilities. Default 0.1.</param>
/// <param name="Activation">FFN activation: gelu (exact erf), gelu_new / gelu_pytorch_tanh, relu. Default gelu.</param>
/// <param name="PadTokenId">Padding id (its embedding row starts at zero). Default 0.</param>
/// <param name="InitializerRange">Std of the normal init of weights. Default 0.02.</param>
public sealed record DistilBertConfig(
    int VocabSize = 30522,
    int Dim = 768,
    int NLayers = 6,
    int NHeads = 12,
    int HiddenDim = 3072,
    int MaxPositionEmbeddings = 512,
    double Dropout = 0.1,
    double AttentionDropout = 0.1,
    string Activation = "gelu",
    int PadTokenId = 0,
    double InitializerRange = 0.02,
    bool SinusoidalPosEmbds = false)
{
    /// <summary>The value of <c>model_type</c> in config.json.</summary>
    public const string ModelType = "distilbert";

    /// <summary>Size of each attention head.</summary>
    public int HeadDim => Dim / NHeads;

    /// <summary>Throws with the offending field when the numbers cannot make a model.</summary>
    public DistilBertConfig Validate()
    {
        if (VocabSize < 1 || Dim < 1 || NLayers < 1 || NHeads < 1 || HiddenDim < 1 || MaxPositionEmbeddings < 1)
            throw new ArgumentException($"DistilBERT config has a non-positive size: {this}");
        if (Dim % NHeads != 0) throw new ArgumentException($"DistilBERT dim {Dim} is not divisible by n_heads {NHeads}");
        Activations.Check(Activation);
        return this;
    }

    /// <summary>Parses a Hugging Face DistilBERT <c>config.json</c>; absent fields take the defaults.</summary>
    public static DistilBertConfig FromJson(string json, string source = "config.json")
    {
        var o = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: not a JSON object");
        var d = new DistilBertConfig();
        return new DistilBertConfig(
            ConfigJson.Int(o, "vocab_size", d.VocabSize, source), ConfigJson.Int(o, "dim", d.Dim, source),
            ConfigJson.Int(o, "n_layers", d.NLayers, source), ConfigJson.Int(o, "n_heads", d.NHeads, source),
            ConfigJson.Int(o, "hidden_dim", d.HiddenDim, source), ConfigJson.Int(o, "max_position_embeddings", d.MaxPositionEmbeddings, source),
            ConfigJson.Double(o, "dropout", d.Dropout, source), ConfigJson.Double(o, "attention_dropout", d.AttentionDropout, source),
            ConfigJson.String(o, "activation", d.Activation, source), ConfigJson.Int(o, "pad_token_id", d.PadTokenId, source),
            ConfigJson.Double(o, "initializer_range", d.InitializerRange, source),
            ConfigJson.Bool(o, "sinusoidal_pos_embds", d.SinusoidalPosEmbds, source)).Validate();
    }

    /// <summary>A Hugging Face <c>config.json</c> for this model (architectures names the class that holds the weights).</summary>
    public string ToJson(string architecture = "DistilBertModel") => new JsonObject
    {
        ["architectures"] = new JsonArray(architecture),
        ["model_type"] = ModelType,
        ["vocab_size"] = VocabSize, ["dim"] = Dim, ["n_layers"] = NLayers, ["n_heads"] = NHeads, ["hidden_dim"] = HiddenDim,
        ["max_position_embeddings"] = MaxPositionEmbeddings, ["dropout"] = Dropout, ["attention_dropout"] = AttentionDropout,
        ["activation"] = Activation, ["pad_token_id"] = PadTokenId, ["initializer_range"] = InitializerRange,
        ["sinusoidal_pos_embds"] = SinusoidalPosEmbds, ["qa_dropout"] = 0.1, ["seq_classif_dropout"] = 0.2, ["tie_weights_"] = true,
        ["torch_dtype"] = "float32",
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
