using System.CommandLine;
using HardNegatives.Interactive.Runner;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn notebook run|export|render</c>: run notebooks in the real .NET Interactive kernel (nbconvert), turn them into file-based apps, render their outputs.</summary>
static class NotebookCommand
{
    public static Command Create()
    {
        var notebook = new Command("notebook", "Notebooks: run in the real .NET Interactive kernel (via nbconvert), export to a `dotnet run` file-based app, render outputs to HTML.");
        notebook.Subcommands.Add(Run());
        notebook.Subcommands.Add(Export());
        notebook.Subcommands.Add(Render());
        return notebook;
    }

    static Argument<string> NotebookArgument() => new("notebook") { Description = "The .ipynb file (Polyglot Notebooks format)." };

    static Command Run()
    {
        var path = NotebookArgument();
        var mode = new Option<string>("--mode") { Description = "mini (a slice of the bundled data, under a minute) or full (the paper's scale); the parameters cell reads it from HN_NOTEBOOK_MODE.", DefaultValueFactory = _ => "mini" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the executed notebook here (default: back into the input file)." };
        var run = new Command("run", "Execute the notebook in the real .NET Interactive kernel (jupyter nbconvert; run notebooks/setup first) and write its outputs, cleaned for committing.") { path, mode, output };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var result = await NbConvertRunner.RunAsync(parse.GetValue(path)!, new NbConvertOptions(parse.GetValue(mode)!, parse.GetValue(output)), cancellationToken);
            Console.WriteLine($"ran in the {result.KernelName} kernel in {result.Elapsed.TotalSeconds:0.0} s → {result.OutputPath}");
            return 0;
        });
        return run;
    }

    static Command Export()
    {
        var path = NotebookArgument();
        var output = new Option<string?>("--output", "-o") { Description = "The .cs file to write (default: next to the notebook, same name)." };
        var export = new Command("export", "Write the notebook's C# cells as a file-based app (`dotnet run file.cs`) that references the kit by #:project.") { path, output };
        export.SetAction(parse =>
        {
            var source = parse.GetValue(path)!;
            var target = parse.GetValue(output) ?? Path.ChangeExtension(source, ".cs");
            NotebookExporter.ExportToFile(NotebookDocument.Load(source), target);
            Console.WriteLine($"wrote {target}; run it with: dotnet run {target}");
        });
        return export;
    }

    static Command Render()
    {
        var path = NotebookArgument();
        var html = new Option<string>("--html") { Description = "The standalone HTML page to write.", Required = true };
        var render = new Command("render", "Render a notebook (Markdown, code and stored outputs) as one standalone HTML page that works offline.") { path, html };
        render.SetAction(parse =>
        {
            var target = parse.GetValue(html)!;
            NotebookHtmlPage.WriteFile(NotebookDocument.Load(parse.GetValue(path)!), target);
            Console.WriteLine($"wrote {target}");
        });
        return render;
    }
}
