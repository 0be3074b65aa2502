using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// Turns what a user names with <c>--model</c> into a bi-encoder: a model folder (sentence-transformers or Hugging Face
/// layout) to fine-tune, or a size preset built from scratch with random weights and the bundled bert-base-uncased vocabulary.
/// </summary>
/// <remarks>
/// Presets (<c>NAME[:key=value,…]</c>, keys <c>layers</c>, <c>dim</c>, <c>heads</c>, <c>hidden</c>, <c>dropout</c>):
/// <list type="bullet">
/// <item><c>tiny</c>: 2 layers, dim 128, 2 heads, FFN 512 (about 4.4M parameters, 3.9M of them the word embeddings).</item>
/// <item><c>small</c>: 4 layers, dim 256, 4 heads, FFN 1024.</item>
/// <item><c>distilbert-base-shape</c>: DistilBERT-base's shape (6 × 768, 12 heads, FFN 3072), random weights.</item>
/// </list>
/// e.g. <c>tiny:layers=4,dim=256</c>; <c>dim</c> alone also sets heads = dim/64 and FFN = 4·dim unless they are given. Every preset uses mean pooling, as sentence-transformers' default for DistilBERT.
/// Pretrained weights (e.g. distilbert-base-uncased) come as a folder: download it once and pass its path, or put it in
/// <see cref="ModelCache"/> and pass its name.
/// </remarks>
public static class BiEncoderModels
{
    static readonly Dictionary<string, DistilBertConfig> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tiny"] = new DistilBertConfig(Dim: 128, NLayers: 2, NHeads: 2, HiddenDim: 512),
        ["small"] = new DistilBertConfig(Dim: 256, NLayers: 4, NHeads: 4, HiddenDim: 1024),
        ["distilbert-base-shape"] = new DistilBertConfig(),
    };

    /// <summary>Names of the from-scratch presets.</summary>
    public static IReadOnlyCollection<string> PresetNames => Presets.Keys;

    /// <summary>True when <paramref name="spec"/> names a preset rather than a folder.</summary>
    public static bool IsPreset(string spec) => ResolveFolder(spec) is null && Presets.ContainsKey(spec.Split(':', 2)[0]);

    /// <summary>The DistilBERT configuration a preset spec describes (vocabulary size from <paramref name="vocabSize"/>).</summary>
    public static DistilBertConfig PresetConfig(string spec, int vocabSize)
    {
        var parts = spec.Split(':', 2);
        if (!Presets.TryGetValue(parts[0], out var config))
            throw new ArgumentException($"unknown model preset '{parts[0]}' (presets: {string.Join(", ", Presets.Keys)}); or pass a model folder");
        config = config with { VocabSize = vocabSize };
        var given = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (parts.Length == 2)
            foreach (var pair in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var kv = pair.Split('=', 2);
                if (kv.Length != 2) throw new ArgumentException($"model preset option '{pair}' is not key=value (e.g. tiny:layers=2,dim=128)");
                if (kv[0].ToLowerInvariant() is not ("layers" or "dim" or "heads" or "hidden" or "dropout"))
                    throw new ArgumentException($"unknown model preset key '{kv[0]}' (use layers, dim, heads, hidden, dropout)");
                given[kv[0]] = kv[1];
            }
        // dim alone keeps DistilBERT's proportions: heads of 64 dimensions, feed-forward 4 × dim; explicit keys win.
        if (given.TryGetValue("dim", out var dim)) config = config with { Dim = Int("dim", dim), NHeads = Math.Max(1, Int("dim", dim) / 64), HiddenDim = 4 * Int("dim", dim) };
        if (given.TryGetValue("layers", out var layers)) config = config with { NLayers = Int("layers", layers) };
        if (given.TryGetValue("heads", out var heads)) config = config with { NHeads = Int("heads", heads) };
        if (given.TryGetValue("hidden", out var hidden)) config = config with { HiddenDim = Int("hidden", hidden) };
        if (given.TryGetValue("dropout", out var dropout)) config = config with { Dropout = Rate("dropout", dropout), AttentionDropout = Rate("dropout", dropout) };
        return config.Validate();

        static int Int(string key, string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new ArgumentException($"model preset {key}={text}: expected a positive integer");
        static double Rate(string key, string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and < 1
            ? v : throw new ArgumentException($"model preset {key}={text}: expected a rate in [0, 1)");
    }

    /// <summary>
    /// Builds (preset, seeded with <paramref name="seed"/>) or loads (folder) a bi-encoder on <paramref name="device"/>
    /// that cuts texts to <paramref name="maxLength"/> tokens.
    /// </summary>
    public static SentenceEncoderModel CreateOrLoad(string spec, int maxLength, Device device, long seed, string? vocabPath = null)
    {
        if (maxLength < 3) throw new ArgumentException($"--max-length must be at least 3 tokens ([CLS] x [SEP]); got {maxLength}");
        SentenceEncoder encoder;
        if (ResolveFolder(spec) is { } folder)
        {
            encoder = SentenceEncoder.Load(folder, device).WithMaxSeqLength(maxLength);
        }
        else if (IsPreset(spec))
        {
            var tokenizer = new BertTokenizer(vocabPath ?? KitPaths.BertBaseUncasedVocab);
            var config = PresetConfig(spec, tokenizer.Vocabulary.Count);
            encoder = SentenceEncoder.CreateDistilBert(config, tokenizer, new PoolingOptions(PoolingMode.Mean), maxLength, seed);
            encoder.to(device);
        }
        else
        {
            throw new DirectoryNotFoundException((BaseModelNames.Problem(spec) ?? $"'{spec}' is a Hub id: fetch it first (hn reproduce does)") +
                $"; for pretrained weights download the model folder (e.g. distilbert-base-uncased) and pass its path or put it in {ModelCache}");
        }
        return new SentenceEncoderModel(encoder);
    }

    /// <summary>Where named pretrained models are looked up: <c>KitPaths.Home/models/NAME</c> (e.g. a downloaded distilbert-base-uncased).</summary>
    public static string ModelCache => Path.Combine(KitPaths.Home, "models");

    /// <summary>
    /// The folder a spec names: a path, an embedded pretrained model (<c>all-MiniLM-L6-v2</c>, imported on first use, see
    /// <see cref="Models.Onnx.PretrainedModels"/>), or a name under <see cref="ModelCache"/>; null for presets and unknown names.
    /// </summary>
    public static string? ResolveFolder(string spec) =>
        Directory.Exists(spec) ? spec
        : Models.Onnx.PretrainedModels.Resolve(spec) is { } pretrained ? pretrained
        : !spec.Contains(':') && spec.IndexOfAny(['/', '\\']) < 0 && Directory.Exists(Path.Combine(ModelCache, spec)) ? Path.Combine(ModelCache, spec)
        : null;

    /// <summary>Loads a trained bi-encoder folder for inference, cutting texts at <paramref name="maxLength"/> tokens when given
    /// (default: the folder's own <c>max_seq_length</c>).</summary>
    public static SentenceEncoderModel Load(string directory, Device? device = null, int? maxLength = null) =>
        ResolveFolder(directory) is { } folder
            ? new SentenceEncoderModel(maxLength is { } n ? SentenceEncoder.Load(folder, device).WithMaxSeqLength(n) : SentenceEncoder.Load(folder, device))
            : throw new DirectoryNotFoundException($"model folder not found: {directory} (train one with `hn train`)");
}
