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
/// Tests that run <c>hn generate</c> in-process: its live progress display (Spectre.Console) allows one at a time per
/// process, so these classes never run in parallel with each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessProgressCollection
{
    public const string Name = "hn commands with a live progress display, in-process";
}
