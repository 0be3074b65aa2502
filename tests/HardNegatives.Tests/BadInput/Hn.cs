using System.CommandLine;
using HardNegatives.Cli;
using HardNegatives.Cli.Commands;

namespace HardNegatives.Tests.BadInput;

/// <summary>Runs <c>hn</c> in-process through the same <see cref="CliRunner"/> as the real binary; captures the error line.</summary>
static class Hn
{
    public sealed record Outcome(int Code, string Error);

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        var root = new RootCommand("hn");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var error = new StringWriter();
        var code = await CliRunner.InvokeAsync(root, args, error);
        return new Outcome(code, error.ToString());
    }
}

/// <summary>
/// Tests that run <c>hn</c> commands in-process: their live progress display (Spectre.Console) allows one at a time per
/// process, so these classes never run in parallel with each other. Every test class that invokes a command in-process
/// belongs here (a class outside it made a parallel <c>hn generate</c> fail one CI run in three).
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessProgressCollection
{
    public const string Name = "hn commands with a live progress display, in-process";
}
