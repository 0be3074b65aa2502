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

    /// <summary>
    /// The XML docs of an assembly, for <c>inspect</c>: beside it (the kit's own), else, for the .NET runtime, in the SDK's
    /// reference pack (System.Private.CoreLib's types are documented in System.Runtime.xml). None where no SDK is installed.
    /// </summary>
    static DocumentationProvider? Documentation(string assembly)
    {
        var beside = Path.ChangeExtension(assembly, ".xml");
        if (File.Exists(beside)) return new XmlDocumentation(beside);
        var name = Path.GetFileNameWithoutExtension(assembly);
        var xml = RuntimeDocs.Value is { } docs ? Path.Combine(docs, (name == "System.Private.CoreLib" ? "System.Runtime" : name) + ".xml") : null;
        return xml is not null && File.Exists(xml) ? new XmlDocumentation(xml) : null;
    }

    /// <summary>dotnet/packs/Microsoft.NETCore.App.Ref/&lt;newest&gt;/ref/net*/ next to the running shared framework, if present.</summary>
    static readonly Lazy<string?> RuntimeDocs = new(() =>
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location); // dotnet/shared/Microsoft.NETCore.App/<version>
        var dotnet = framework is null ? null : Path.GetFullPath(Path.Combine(framework, "..", "..", ".."));
        var pack = dotnet is null ? null : Path.Combine(dotnet, "packs", "Microsoft.NETCore.App.Ref");
        if (pack is null || !Directory.Exists(pack)) return null;
        return Directory.GetDirectories(pack).OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version())
            .SelectMany(d => Directory.Exists(Path.Combine(d, "ref")) ? Directory.GetDirectories(Path.Combine(d, "ref")) : [])
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "System.Runtime.xml")));
    });

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
