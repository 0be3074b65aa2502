using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Engines;
using HardNegatives.Kernel.Engines.CSharp;
using HardNegatives.Kernel.Engines.FSharp;

namespace HardNegatives.Kernel;

/// <summary>
/// The engines the kernel can run, keyed by the <c>--language</c> of <c>hn kernel run</c>, each wrapped by
/// <see cref="Decorate"/> (where the <c>#!hn-…</c> magics and <c>#r "nuget: HardNegatives.Interactive"</c> are handled once
/// for every language).
/// </summary>
public sealed class EngineCatalog(IReadOnlyDictionary<string, Func<IExecutionEngine>> factories, Func<IExecutionEngine, IExecutionEngine>? decorate = null)
{
    public static EngineCatalog Default { get; } = new(new Dictionary<string, Func<IExecutionEngine>>
    {
        ["csharp"] = () => new CSharpScriptEngine(),
        ["fsharp"] = () => new FSharpScriptEngine(),
    }, engine => new MagicAwareEngine(engine));

    public IReadOnlyCollection<string> Languages => factories.Keys.ToList();

    public IExecutionEngine Create(string language)
    {
        if (!factories.TryGetValue(language, out var create))
            throw new ArgumentException($"no engine for language '{language}' (known: {string.Join(", ", factories.Keys)})");
        var engine = create();
        return Decorate(engine);
    }

    IExecutionEngine Decorate(IExecutionEngine engine) => decorate is null ? engine : decorate(engine);
}
