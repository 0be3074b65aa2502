using System.CommandLine;
using HardNegatives.Cli;
using HardNegatives.Cli.Commands;
using Spectre.Console;

namespace HardNegatives.Tests.BadInput;

/// <summary>Runs <c>hn</c> in-process through the same <see cref="CliRunner"/> as the real binary; captures the error line and what it printed.</summary>
static class Hn
{
    /// <param name="Output">What the command printed through Spectre.Console, as a plain (non-terminal) console shows it.</param>
    public sealed record Outcome(int Code, string Error, string Output = "");

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        var root = new RootCommand("hn");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var error = new StringWriter();
        var output = new StringWriter();
        // The callers run one at a time (InProcessProgressCollection), so swapping the process's console is safe here.
        var previous = AnsiConsole.Console;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 1000; // one line per message: assertions need not know where a line would wrap
        AnsiConsole.Console = console;
        try
        {
            var code = await CliRunner.InvokeAsync(root, args, error);
            return new Outcome(code, error.ToString(), output.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
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
