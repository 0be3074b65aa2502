using System.CommandLine;
using HardNegatives.Cli;
using HardNegatives.Cli.Commands;

// `hn`: a thin shell over the library. Each command group lives in its own file under Commands/.
// Numbers in every output are culture-invariant (0.6789, never 0,6789): results are data that other tools read.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
var root = new RootCommand("hn — hard negatives for dense retrieval: data, mining, generation, training, retrieval, evaluation.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return await CliRunner.InvokeAsync(root, args);
