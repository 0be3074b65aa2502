using System.Text;
using System.Text.RegularExpressions;
using HardNegatives.Interactive.Magics;
using HardNegatives.Kernel.Engine;

namespace HardNegatives.Kernel.Engines;

/// <summary>
/// The kit's layer over a language engine in its own kernels: runs <c>#!hn-…</c> lines through the shared magics
/// (<see cref="HnMagicCatalog"/>, the same code as in .NET Interactive), treats <c>#r "nuget: HardNegatives.Interactive"</c>
/// as loaded (the kit is built into the kernel) and refuses other NuGet references. Lines keep their numbers, so compile
/// errors point at the cell's own lines. (The facade's live progress reaches the cell through KernelServer's HnDisplay.Show.)
/// </summary>
public sealed partial class MagicAwareEngine(IExecutionEngine inner) : IExecutionEngine
{
    public LanguageInfo Language => inner.Language;

    public async Task<ExecutionOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken cancellationToken)
    {
        var lines = code.Split('\n');
        var pending = new StringBuilder();   // code lines since the last magic (earlier lines blank, to keep numbers)
        ExecutionOutcome outcome = ExecutionOutcome.NoValue;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (Reference().Match(line) is { Success: true } reference)
            {
                if (!IsKit(reference.Groups["package"].Value))
                    return ExecutionOutcome.Error("UnsupportedReference",
                        $"line {i + 1}: {line.Trim()}: this kernel has the kit built in and loads no NuGet packages; use the .NET Interactive kernel (.net-csharp / .net-fsharp) for other packages");
                output.WriteStdout($"{reference.Groups["package"].Value.Trim()}: built into this kernel, nothing to load\n");
                pending.Append('\n');
                continue;
            }
            if (!MagicLine.IsMagic(line)) { pending.Append(line).Append('\n'); continue; }
            if (!IsBlank(pending))
            {
                outcome = await inner.ExecuteAsync(pending.ToString(), output, cancellationToken);
                if (outcome is ExecutionOutcome.Failed) return outcome;
            }
            pending.Clear().Append('\n', i + 1);
            try { await HnMagicCatalog.RunLineAsync(line, new EngineMagicHost(inner, output, cancellationToken)); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExecutionOutcome.Error("OperationCanceledException", "the cell was interrupted");
            }
            catch (Exception e)
            {
                return ExecutionOutcome.Error(e.GetType().Name, $"line {i + 1}: {e.Message}");
            }
            outcome = ExecutionOutcome.NoValue;
        }
        return IsBlank(pending) ? outcome : await inner.ExecuteAsync(pending.ToString().TrimEnd('\n'), output, cancellationToken);
    }

    static bool IsBlank(StringBuilder code)
    {
        for (var i = 0; i < code.Length; i++) if (!char.IsWhiteSpace(code[i])) return false;
        return true;
    }

    static bool IsKit(string package) =>
        package.Split(',')[0].Trim() is var id && (id.Equals("HardNegatives.Interactive", StringComparison.OrdinalIgnoreCase) || id.Equals("HardNegatives", StringComparison.OrdinalIgnoreCase));

    /// <summary><c>#r "nuget: Id[, version]"</c> and <c>#i "nuget: source"</c> (package sources), as .NET Interactive writes them.</summary>
    [GeneratedRegex("""^\s*#(?<kind>r|i)\s+"nuget:\s*(?<package>[^"]*)"\s*$""")]
    private static partial Regex Reference();

    public Task<CompletionResult> CompleteAsync(string code, int cursorPosition, CancellationToken cancellationToken) =>
        inner.CompleteAsync(code, cursorPosition, cancellationToken);

    public Task<string?> InspectAsync(string code, int cursorPosition, int detailLevel, CancellationToken cancellationToken) =>
        inner.InspectAsync(code, cursorPosition, detailLevel, cancellationToken);

    public CodeCompleteness IsComplete(string code) =>
        code.Split('\n').All(l => MagicLine.IsMagic(l) || string.IsNullOrWhiteSpace(l)) ? CodeCompleteness.Complete : inner.IsComplete(code);

    public object? GetVariable(string name) => inner.GetVariable(name);

    public Task SetVariableAsync(string name, object value, Type type, CancellationToken cancellationToken) =>
        inner.SetVariableAsync(name, value, type, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>A running cell of an <see cref="IExecutionEngine"/>, as the shared magics see it.</summary>
    sealed class EngineMagicHost(IExecutionEngine engine, ICellOutput output, CancellationToken cancellationToken) : IMagicHost
    {
        public string KernelName => engine.Language.Name;
        public CancellationToken CancellationToken => cancellationToken;
        public void Display(object value) => output.Display(value);
        public void DisplayText(string text) => output.WriteStdout(text + "\n");

        public Task<(bool Found, object? Value)> TryGetVariableAsync(string name) =>
            Task.FromResult(engine.GetVariable(name) is { } value ? (true, (object?)value) : (false, null));

        public Task SetVariableAsync(string name, object value, Type type) => engine.SetVariableAsync(name, value, type, cancellationToken);
    }
}
