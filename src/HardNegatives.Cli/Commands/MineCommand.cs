using System.CommandLine;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn mine bm25|…</c>: mine hard negatives for training queries into the shared triples format.</summary>
static class MineCommand
{
    public static Command Create()
    {
        var mine = new Command("mine", "Mine hard negatives for training queries (sentence-transformers' mine_hard_negatives rules).");
        mine.Subcommands.Add(MineBm25Command.Create());
        mine.Subcommands.Add(MineCeCommand.Create());
        mine.Subcommands.Add(MineDenseCommand.Create());
        return mine;
    }
}
