using System.Reflection;
using HardNegatives.Interactive;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>
/// The C# cells' compilation options: every assembly the host process trusts (the .NET runtime and the kit with its
/// dependencies: the kit is built in), the usual usings plus every HardNegatives namespace, latest C#, debug information
/// (line numbers in stack traces).
/// </summary>
static class KitScriptOptions
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    public static ScriptOptions Create() => ScriptOptions.Default
        .WithReferences(References())
        .WithImports(Imports())
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithEmitDebugInformation(true)
        .WithFileEncoding(System.Text.Encoding.UTF8)
        .WithOptimizationLevel(OptimizationLevel.Debug);

    static IEnumerable<MetadataReference> References()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        paths.AddRange(KitAssemblies().Select(a => a.Location));
        return paths.Where(File.Exists)
            .DistinctBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .Select(p => MetadataReference.CreateFromFile(p, documentation: Documentation(p)));
    }

    /// <summary>The XML docs beside an assembly (the kit's own), for <c>inspect</c>.</summary>
    static DocumentationProvider? Documentation(string assembly)
    {
        var xml = Path.ChangeExtension(assembly, ".xml");
        return File.Exists(xml) ? new XmlDocumentation(xml) : null;
    }

    static Assembly[] KitAssemblies() => [typeof(Hn).Assembly, typeof(HardNegatives.Data.KitPaths).Assembly, typeof(CellInterrupt).Assembly];

    static IEnumerable<string> Imports()
    {
        string[] usual = ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading.Tasks"];
        var kit = typeof(Hn).Assembly.GetExportedTypes().Concat(typeof(HardNegatives.Data.KitPaths).Assembly.GetExportedTypes())
            .Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith("HardNegatives", StringComparison.Ordinal));
        return usual.Concat(kit.Distinct().Order(StringComparer.Ordinal));
    }
}
