using System.CommandLine;
using HardNegatives.Models;
using HardNegatives.Models.Onnx;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn model import-onnx</c>: an ONNX BERT export + vocab.txt → a sentence-transformers folder (<see cref="OnnxModelImporter"/>).</summary>
static class ModelImportOnnxCommand
{
    public static Command Create()
    {
        var onnx = new Argument<string>("model") { Description = "The .onnx file (a BERT-family encoder exported by PyTorch, opset 11+)." };
        var vocab = new Option<string>("--vocab") { Description = "The model's WordPiece vocab.txt (or tokenizer.json).", Required = true };
        var output = new Option<string>("--output") { Description = "Folder to write (sentence-transformers layout).", Required = true };
        var pooling = new Option<string>("--pooling") { Description = "mean or cls.", DefaultValueFactory = _ => "mean" };
        var normalize = new Option<bool>("--normalize") { Description = "L2-normalise embeddings (a Normalize module; cosine similarity)." };
        var maxSeqLength = new Option<int>("--max-seq-length") { Description = "Tokens per text, [CLS]/[SEP] included.", DefaultValueFactory = _ => 256 };
        var queryPrompt = new Option<string?>("--query-prompt") { Description = "Text put before every query (e.g. \"query: \")." };
        var documentPrompt = new Option<string?>("--document-prompt") { Description = "Text put before every document (e.g. \"passage: \")." };
        var heads = new Option<int?>("--num-heads") { Description = "Attention heads, only if the graph does not show them." };
        var cased = new Option<bool>("--cased") { Description = "The vocabulary is cased: no lowercasing or accent stripping." };
        var command = new Command("import-onnx", "Import an ONNX BERT encoder into a model folder the kit (and sentence-transformers) loads.")
        {
            onnx, vocab, output, pooling, normalize, maxSeqLength, queryPrompt, documentPrompt, heads, cased,
        };
        command.SetAction(parse =>
        {
            var mode = parse.GetValue(pooling)!.ToLowerInvariant() switch
            {
                "mean" => PoolingMode.Mean,
                "cls" => PoolingMode.Cls,
                var other => throw new ArgumentException($"--pooling {other}: use mean or cls"),
            };
            var options = new OnnxImportOptions(new PoolingOptions(mode, parse.GetValue(normalize)), parse.GetValue(maxSeqLength),
                parse.GetValue(queryPrompt), parse.GetValue(documentPrompt), parse.GetValue(heads), !parse.GetValue(cased));
            ModelCommand.Print(OnnxModelImporter.Import(parse.GetValue(onnx)!, parse.GetValue(vocab)!, parse.GetValue(output)!, options));
        });
        return command;
    }
}
