using System.CommandLine;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn bench &lt;area&gt;</c>: the rerunnable benchmarks behind BENCHMARKS.md.</summary>
static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks that produce BENCHMARKS.md (run on an idle machine).");
        bench.Subcommands.Add(BenchBm25Command.Create("bm25"));
        bench.Subcommands.Add(BenchEncodersCommand.Create("encoders"));
        bench.Subcommands.Add(BenchTrainCommand.Create("train"));
        bench.Subcommands.Add(BenchEvalCommand.Create("eval"));
        bench.Subcommands.Add(BenchGenerateCommand.Create("generate"));
        bench.Subcommands.Add(BenchDecoderCommand.Create("decoder"));
        bench.Subcommands.Add(BenchLlamaCppCommand.Create("llamacpp"));
        return bench;
    }
}
