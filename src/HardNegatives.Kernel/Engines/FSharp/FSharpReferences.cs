using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using HardNegatives.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Kernel.Engines.FSharp;

/// <summary>
/// The assemblies an F# cell compiles against: the kit (library, notebook side, this engine) and every assembly they
/// reference that ships beside them (Plotly.NET, Microsoft.Data.Analysis, TorchSharp…), read from metadata without loading.
/// The framework is FSI's own; FSharp.Core and the compiler are the ones already in this process.
/// </summary>
static class FSharpReferences
{
    public static IReadOnlyList<string> Kit()
    {
        var roots = new[] { typeof(Hn).Assembly, typeof(HardNegatives.Data.KitPaths).Assembly, typeof(DisplayedValue).Assembly, typeof(FSharpReferences).Assembly };
        var found = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>(roots.Select(a => a.Location).Where(File.Exists));
        while (pending.TryDequeue(out var path))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (found.ContainsKey(name) || name.StartsWith("FSharp.", StringComparison.Ordinal)) continue;
            found[name] = path;
            foreach (var reference in ReferencedNames(path))
            {
                var beside = Path.Combine(Path.GetDirectoryName(path)!, reference + ".dll");
                if (File.Exists(beside) && !found.ContainsKey(reference)) pending.Enqueue(beside);
            }
        }
        return found.Values.ToList();
    }

    static IEnumerable<string> ReferencedNames(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        if (!pe.HasMetadata) return [];
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }
}
