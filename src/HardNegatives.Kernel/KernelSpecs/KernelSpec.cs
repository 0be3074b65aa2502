using System.Text.Json.Nodes;

namespace HardNegatives.Kernel.KernelSpecs;

/// <summary>One of the kit's Jupyter kernels as a kernelspec (<c>kernel.json</c>): its name, what front ends show, how to start it.</summary>
public sealed record KernelSpec(string Name, string DisplayName, string Language, string EngineLanguage)
{
    public static readonly KernelSpec CSharp = new("hardnegatives-csharp", "C# (HardNegatives)", "C#", "csharp");
    public static readonly KernelSpec FSharp = new("hardnegatives-fsharp", "F# (HardNegatives)", "F#", "fsharp");
    public static readonly IReadOnlyList<KernelSpec> All = [CSharp, FSharp];

    /// <summary>The kernel.json whose argv starts <paramref name="hn"/> (the command that runs hn, absolute paths).</summary>
    public JsonObject ToJson(IReadOnlyList<string> hn) => new()
    {
        ["argv"] = new JsonArray([.. hn.Concat(["kernel", "run", "--language", EngineLanguage, "--connection-file", "{connection_file}"]).Select(a => JsonValue.Create(a))]),
        ["display_name"] = DisplayName,
        ["language"] = Language,
        ["interrupt_mode"] = "message",
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>
    /// How this process was started, as absolute paths: the <c>hn</c> executable, or <c>dotnet</c> and <c>hn.dll</c> when
    /// hn runs through the muxer (dotnet run, dotnet hn.dll, a test host).
    /// </summary>
    public static IReadOnlyList<string> CurrentHnCommand(string hnAssembly)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where this hn runs from (no process path)");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, Path.GetFullPath(hnAssembly)] : [process];
    }
}
