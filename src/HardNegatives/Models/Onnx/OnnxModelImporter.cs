using HardNegatives.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models.Onnx;

/// <summary>What an import wrote.</summary>
/// <param name="Folder">The sentence-transformers model folder.</param>
/// <param name="Config">The BERT config recovered from the graph.</param>
/// <param name="Parameters">Number of parameter tensors placed.</param>
/// <param name="Producer">The exporter that wrote the ONNX file, and its opset.</param>
public sealed record OnnxImportReport(string Folder, BertConfig Config, int Parameters, bool HasPooler, string Producer);

/// <summary>
/// <c>hn model import-onnx</c>: an ONNX export of a BERT encoder plus its WordPiece vocabulary → a sentence-transformers folder
/// (model.safetensors with Hugging Face names, config.json, tokenizer files, modules, pooling and prompts) that
/// <see cref="SentenceEncoder.Load"/> and Python's <c>SentenceTransformer(path)</c> both load.
/// </summary>
public static class OnnxModelImporter
{
    public static OnnxImportReport Import(string onnxPath, string vocabPath, string outputFolder, OnnxImportOptions? options = null) =>
        Import(OnnxGraph.Load(onnxPath), WordPieceVocabulary.Load(vocabPath), outputFolder, options);

    public static OnnxImportReport Import(OnnxGraph graph, WordPieceVocabulary vocabulary, string outputFolder, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        var weights = OnnxBertImport.Import(graph, options.NumAttentionHeads);
        if (vocabulary.Count > weights.Config.VocabSize)
            throw new InvalidDataException($"the vocabulary has {vocabulary.Count} tokens but {graph.Source} embeds only {weights.Config.VocabSize}; is it the model's own vocab.txt?");
        var model = new BertModel(weights.Config, weights.HasPooler, initialize: false);
        using (no_grad())
            foreach (var (name, parameter) in model.named_parameters())
            {
                var source = weights.Parameters[name];
                using var value = tensor(source.Floats!, source.Shape);
                parameter.copy_(value);
            }
        model.eval();
        var tokenizer = new BertTokenizer(vocabulary, new BertTokenizerOptions(Lowercase: options.Lowercase));
        using var encoder = new SentenceEncoder(model, tokenizer, options.Pooling, options.MaxSeqLength,
            new EncoderPrompts(options.QueryPrompt, options.DocumentPrompt));
        encoder.Save(outputFolder);
        return new OnnxImportReport(outputFolder, weights.Config, weights.Parameters.Count, weights.HasPooler, $"{graph.Producer}, opset {graph.Opset}");
    }
}
