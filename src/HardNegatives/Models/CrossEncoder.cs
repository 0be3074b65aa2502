using System.Text.Json.Nodes;
using HardNegatives.Data;
using HardNegatives.Models.Checkpoints;
using HardNegatives.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>What a cross-encoder score is: the raw logit or its sigmoid.</summary>
public enum CrossEncoderActivation
{
    /// <summary>The classifier logit (<c>torch.nn.Identity</c>; e.g. the ms-marco MiniLM cross-encoders declare it).</summary>
    Identity,
    /// <summary>sigmoid(logit) in (0, 1): sentence-transformers' default for one-label models that declare nothing.</summary>
    Sigmoid,
}

/// <summary>
/// A BERT cross-encoder (<c>BertForSequenceClassification</c> with one label, e.g. <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c>):
/// scores (query, passage) pairs encoded as <c>[CLS] query [SEP] passage [SEP]</c> with <c>longest_first</c> truncation,
/// in length-sorted batches. Higher = more relevant.
/// </summary>
public sealed class CrossEncoder : IDisposable
{
    /// <param name="maxLength">Tokens per pair; default 512 (the MiniLM cross-encoders' max_length).</param>
    public CrossEncoder(BertForSequenceClassification model, BertTokenizer tokenizer, int maxLength = 512,
        CrossEncoderActivation activation = CrossEncoderActivation.Identity)
    {
        if (model.Config.NumLabels != 1)
            throw new ArgumentException($"a relevance cross-encoder has one label; this model has num_labels = {model.Config.NumLabels}");
        Model = model;
        Tokenizer = tokenizer;
        MaxLength = Math.Min(maxLength, model.Config.MaxPositionEmbeddings);
        Activation = activation;
    }

    public BertForSequenceClassification Model { get; }
    public BertTokenizer Tokenizer { get; }
    public int MaxLength { get; }
    public CrossEncoderActivation Activation { get; }

    /// <summary>
    /// Loads a Hugging Face cross-encoder folder (config.json, model.safetensors, vocab.txt/tokenizer.json). With
    /// <paramref name="activation"/> null the score follows the model's files as sentence-transformers' <c>predict</c> does:
    /// <c>activation_fn</c> in config_sentence_transformers.json, else <c>sbert_ce_default_activation_function</c> in
    /// config.json, else sigmoid (the default for one-label models).
    /// </summary>
    public static CrossEncoder Load(string folder, Device? device = null, ScalarType? dtype = null, int maxLength = 512,
        CrossEncoderActivation? activation = null) =>
        new(ModelFolder.LoadSequenceClassifier(folder, device, dtype), BertTokenizer.FromFolder(folder), maxLength, activation ?? DeclaredActivation(folder));

    /// <summary>The activation a model folder declares for sentence-transformers (sigmoid when it declares none).</summary>
    public static CrossEncoderActivation DeclaredActivation(string folder)
    {
        string? declared = null;
        var st = Path.Combine(folder, "config_sentence_transformers.json");
        if (File.Exists(st) && JsonNode.Parse(File.ReadAllText(st)) is JsonObject so && so["activation_fn"] is JsonValue a) declared = a.GetValue<string>();
        var config = Path.Combine(folder, "config.json");
        if (declared is null && File.Exists(config) && JsonNode.Parse(File.ReadAllText(config)) is JsonObject co
            && co["sbert_ce_default_activation_function"] is JsonValue b) declared = b.GetValue<string>();
        return declared switch
        {
            null => CrossEncoderActivation.Sigmoid,
            _ when declared.EndsWith(".Identity", StringComparison.Ordinal) => CrossEncoderActivation.Identity,
            _ when declared.EndsWith(".Sigmoid", StringComparison.Ordinal) => CrossEncoderActivation.Sigmoid,
            _ => throw new InvalidDataException($"{folder}: activation {declared} is not supported (Identity or Sigmoid)"),
        };
    }

    /// <summary>Scores pair i = (<paramref name="queries"/>[i], <paramref name="passages"/>[i]); eval mode, no gradients.</summary>
    public float[] Score(IReadOnlyList<string> queries, IReadOnlyList<string> passages, int batchSize = 32,
        IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var scores = new float[queries.Count];
        Model.eval();
        using var noGrad = no_grad();
        var device = Model.parameters().First().device;
        int done = 0;
        foreach (var batch in LengthSortedBatches.Pairs(Tokenizer, queries, passages, batchSize, MaxLength))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var t = batch.Batch.ToTensors(device);
            var logits = Model.forward(t.InputIds, t.AttentionMask, t.TokenTypeIds).select(1, 0);
            if (Activation == CrossEncoderActivation.Sigmoid) logits = logits.sigmoid();
            var values = logits.to(ScalarType.Float32).cpu().data<float>().ToArray();
            for (int r = 0; r < values.Length; r++) scores[batch.Indices[r]] = values[r];
            done += values.Length;
            progress?.Report(new BatchProgress(done, queries.Count));
        }
        return scores;
    }

    /// <summary>Saves a Hugging Face folder (BertForSequenceClassification, one label) that <c>CrossEncoder(path)</c> in Python also loads.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), Model.Config.ToJson("BertForSequenceClassification"));
        SafetensorsWriter.Save(Path.Combine(folder, SafetensorsCheckpoint.SingleFileName), StateDictLoader.StateTensors(Model));
        Tokenizer.Vocabulary.Save(Path.Combine(folder, "vocab.txt"));
        var o = Tokenizer.Options;
        var special = new JsonObject { ["unk_token"] = o.UnkToken, ["sep_token"] = o.SepToken, ["pad_token"] = o.PadToken, ["cls_token"] = o.ClsToken, ["mask_token"] = o.MaskToken };
        var config = special.DeepClone().AsObject();
        config["tokenizer_class"] = "BertTokenizer";
        config["do_lower_case"] = o.Lowercase;
        config["strip_accents"] = o.StripAccents;
        config["tokenize_chinese_chars"] = o.TokenizeChineseChars;
        config["model_max_length"] = MaxLength;
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
        AtomicFile.WriteAllText(Path.Combine(folder, "special_tokens_map.json"), special.ToJsonString());
        AtomicFile.WriteAllText(Path.Combine(folder, "config_sentence_transformers.json"), new JsonObject
        {
            ["__version__"] = new JsonObject { ["sentence_transformers"] = "5.0.0" },
            ["model_type"] = "CrossEncoder",
            ["activation_fn"] = Activation == CrossEncoderActivation.Identity ? "torch.nn.modules.linear.Identity" : "torch.nn.modules.activation.Sigmoid",
        }.ToJsonString());
    }

    public void Dispose() => Model.Dispose();
}
