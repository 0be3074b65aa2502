using System.CommandLine;

namespace HardNegatives.Cli.Commands;

/// <summary>Every top-level command of <c>hn</c>, in the order the help lists them (the order data flows).</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        DataCommand.Create(),
        TokenizeCommand.Create(),
        MineCommand.Create(),
        GenerateCommand.Create(),
        TrainCommand.Create(),
        EncodeCommand.Create(),
        ModelCommand.Create(),
        SearchCommand.Create(),
        EvalCommand.Create(),
        CompareCommand.Create(),
        LmCommand.Create(),
        ReproduceCommand.Create(),
        NotebookCommand.Create(),
        KernelCommand.Create(),
        CacheCommand.Create(),
        BenchCommand.Create(),
    ];
}
