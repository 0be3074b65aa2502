using System.CommandLine;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn model import-onnx|fetch</c>: bring pretrained encoders into the kit's model folder layout.</summary>
static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", "Pretrained encoders: import an ONNX export, or fetch the embedded all-MiniLM-L6-v2.");
        model.Subcommands.Add(ModelImportOnnxCommand.Create());
        model.Subcommands.Add(ModelFetchCommand.Create());
        return model;
    }

    /// <summary>One line per import: what was recovered and where it went.</summary>
    public static void Print(HardNegatives.Models.Onnx.OnnxImportReport r)
    {
        var c = r.Config;
        Console.WriteLine($"BERT {c.NumHiddenLayers} layers, hidden {c.HiddenSize}, {c.NumAttentionHeads} heads, FFN {c.IntermediateSize}, {c.HiddenAct}, " +
            $"vocab {c.VocabSize}, {r.Parameters} tensors{(r.HasPooler ? " (with pooler)" : "")}; from {r.Producer} → {r.Folder}");
    }
}
