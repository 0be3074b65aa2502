using System.CommandLine;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn search bm25|…</c>: first-stage retrieval into TREC run files. Each retriever is one subcommand file.</summary>
static class SearchCommand
{
    public static Command Create()
    {
        var search = new Command("search", "Retrieve: rank a dataset's queries against its corpus and write a TREC run.");
        search.Subcommands.Add(SearchBm25Command.Create());
        search.Subcommands.Add(SearchDenseCommand.Create());
        return search;
    }
}
