using System.Text;
using HardNegatives.Data;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// Turns a C# notebook into a .NET 10 file-based app (<c>dotnet run nb.cs</c>), the SDK's successor to notebooks:
/// <list type="bullet">
/// <item><c>#:project</c> lines reference the kit's projects by a path relative to the output file;</item>
/// <item>all <c>using</c> directives move to the top, type declarations to the end (C# requires both);</item>
/// <item>a cell's trailing expression becomes <c>display(expr);</c>, and <c>display</c> prints plain text (<see cref="ConsoleDisplay"/>);</item>
/// <item>each variable of the parameters cell can be overridden from the command line: <c>dotnet run nb.cs -- mode=full</c>;</item>
/// <item>kit <c>#r "nuget: …"</c> / <c>#i</c> lines are dropped (the projects replace them); Markdown cells become comments.</item>
/// </list>
/// </summary>
public static class NotebookExporter
{
    /// <summary>Writes the app to <paramref name="outputPath"/> (atomically), with project paths relative to it.</summary>
    public static void ExportToFile(NotebookDocument notebook, string outputPath)
    {
        var full = Path.GetFullPath(outputPath);
        var repo = FindRepositoryRoot(notebook.Path ?? full)
            ?? throw new InvalidOperationException($"cannot find the kit's src/HardNegatives.Interactive project above {notebook.Path ?? full}; export from inside the repository");
        var project = Path.GetRelativePath(Path.GetDirectoryName(full)!, Path.Combine(repo, "src", "HardNegatives.Interactive", "HardNegatives.Interactive.csproj"));
        AtomicFile.WriteAllText(full, Export(notebook, project.Replace('\\', '/')));
    }

    /// <summary>The app's source, referencing the kit through <paramref name="interactiveProjectPath"/> (relative to the app file).</summary>
    public static string Export(NotebookDocument notebook, string interactiveProjectPath)
    {
        var usings = new List<string>();
        var body = new StringBuilder();
        var types = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            if (cell.CellType == "markdown")
            {
                body.AppendLine();
                foreach (var line in cell.Source.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r'))) body.AppendLine(line.Length == 0 ? "//" : "// " + line);
                continue;
            }
            if (cell.CellType != "code") continue;
            var filtered = KitDirectives.Apply(cell.Source, cell.Index);
            var kernel = filtered.Kernel ?? cell.Kernel;
            if (kernel != "csharp")
                throw new InvalidOperationException($"cell {cell.Index} is {kernel}: export writes C# file-based apps, so it takes C# notebooks only");
            var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(filtered.Code, new CSharpParseOptions(LanguageVersion.Preview, kind: SourceCodeKind.Script)).GetRoot();
            usings.AddRange(root.Usings.Select(u => u.ToString().Trim()));
            body.AppendLine().AppendLine($"// ---- cell {cell.Index}{(cell.IsParameters ? " (parameters)" : "")}");
            for (int i = 0; i < root.Members.Count; i++)
            {
                var member = root.Members[i];
                if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax) { types.AppendLine(member.ToFullString().Trim()).AppendLine(); continue; }
                if (i == root.Members.Count - 1 && member is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
                {
                    body.AppendLine($"display({last.Expression.ToString().Trim()});");
                    continue;
                }
                body.AppendLine(member.ToFullString().Trim('\r', '\n'));
            }
            if (cell.IsParameters)
                foreach (var name in DeclaredVariables(root))
                    body.AppendLine($"{name} = HardNegatives.Interactive.Runner.NotebookParameters.Override(args, \"{name}\", {name});");
        }

        var sb = new StringBuilder();
        sb.AppendLine("#!/usr/bin/env dotnet");
        sb.AppendLine($"#:project {interactiveProjectPath}");
        // The kit keeps the formatting package private (a notebook kernel brings its own); the app's display(...) needs it.
        sb.AppendLine($"#:package Microsoft.DotNet.Interactive.Formatting@{FormattingVersion}");
        // File-based apps default to Native AOT settings, which turn off reflection-based System.Text.Json; the kit uses it.
        sb.AppendLine("#:property PublishAot=false");
        sb.AppendLine("#:property JsonSerializerIsReflectionEnabledByDefault=true");
        sb.AppendLine("#:property TreatWarningsAsErrors=false");
        sb.AppendLine("#:property WarningsNotAsErrors=NU1603");
        sb.AppendLine($"// Exported by `hn notebook export` from {Path.GetFileName(notebook.Path ?? "notebook.ipynb")}. Run: dotnet run {Path.GetFileNameWithoutExtension(notebook.Path ?? "notebook")}.cs [-- name=value ...]");
        foreach (var u in usings.Distinct()) sb.AppendLine(u);
        sb.Append(body);
        sb.AppendLine();
        sb.AppendLine("// display(...) as in a notebook, printing plain text to the console.");
        sb.AppendLine("static Microsoft.DotNet.Interactive.Formatting.DisplayedValue display(object? value) => HardNegatives.Interactive.ConsoleDisplay.Show(value);");
        if (types.Length > 0) sb.AppendLine().Append(types);
        return sb.ToString();
    }

    /// <summary>The Microsoft.DotNet.Interactive.Formatting version the kit is built against (the exported app's <c>#:package</c>).</summary>
    public static string FormattingVersion =>
        typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0]
        ?? "1.0.0-beta.26120.1";

    /// <summary>Names declared by <c>var x = …;</c> / <c>T x = …;</c> at the top level of a cell (script fields).</summary>
    static IEnumerable<string> DeclaredVariables(CompilationUnitSyntax root) =>
        root.Members.SelectMany(m => m switch
        {
            FieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.Text),
            GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax l } when !l.IsConst => l.Declaration.Variables.Select(v => v.Identifier.Text),
            _ => [],
        });

    static string? FindRepositoryRoot(string start)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(start)); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "src", "HardNegatives.Interactive", "HardNegatives.Interactive.csproj"))) return dir;
        return null;
    }
}
