using System.CommandLine;
using HardNegatives.Cli;
using HardNegatives.Cli.Commands;

// `hn`: a thin shell over the library. Each command group lives in its own file under Commands/.
var root = new RootCommand("hn — hard negatives for dense retrieval: data, mining, generation, training, retrieval, evaluation.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return await CliRunner.InvokeAsync(root, args);
