using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Engines.CSharp;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Tests.Kernel;

/// <summary>The C# engine on its own (no sockets): state, values, errors, interrupts, completion, is_complete.</summary>
public class CSharpScriptEngineTests
{
    /// <summary>Records what a cell shows; <see cref="Shown"/> completes on the first display (a cell saying it started).</summary>
    sealed class RecordingOutput : ICellOutput
    {
        public readonly List<object?> Displayed = [];
        public readonly TaskCompletionSource Shown = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void WriteStdout(string text) { }
        public void WriteStderr(string text) { }
        public DisplayedValue Display(object? value)
        {
            lock (Displayed) Displayed.Add(value);
            Shown.TrySetResult();
            return new DisplayedValue(value!, []);
        }
        public string? ReadLine(string prompt, bool password) => null;
    }

    static async Task<ExecutionOutcome> Run(IExecutionEngine engine, string code) =>
        await engine.ExecuteAsync(code, new RecordingOutput(), CancellationToken.None);

    [Fact]
    public async Task State_IsKeptAcrossCells_AndATrailingExpressionIsTheValue()
    {
        await using var engine = new CSharpScriptEngine();
        Assert.Equal(ExecutionOutcome.NoValue, await Run(engine, "var x = 40;"));
        Assert.Equal(ExecutionOutcome.WithValue(42), await Run(engine, "int Add(int a) => x + a;\nAdd(2)"));
        Assert.Equal(ExecutionOutcome.WithValue(43), await Run(engine, "Add(3)"));
        // A statement, a void call and an awaited Task have no value.
        Assert.Equal(ExecutionOutcome.NoValue, await Run(engine, "Console.Out.Flush()"));
        Assert.Equal(ExecutionOutcome.NoValue, await Run(engine, "await Task.Yield();"));
        Assert.Equal(ExecutionOutcome.WithValue("kit"), await Run(engine, "await Task.FromResult(\"kit\")"));
        Assert.Equal(40, engine.GetVariable("x"));
    }

    [Fact]
    public async Task TheKitIsBuiltIn_AndDisplayGoesToTheCell()
    {
        await using var engine = new CSharpScriptEngine();
        var output = new RecordingOutput();
        var outcome = await engine.ExecuteAsync("display(typeof(Hn).Name); KitPaths.Home.Length > 0", output, CancellationToken.None);
        Assert.Equal(ExecutionOutcome.WithValue(true), outcome);
        Assert.Equal(["Hn"], output.Displayed);
    }

    [Fact]
    public async Task CompileError_NamesLineAndColumnInTheCell_EvenInsideALoop()
    {
        await using var engine = new CSharpScriptEngine();
        var failed = Assert.IsType<ExecutionOutcome.Failed>(await Run(engine, "var a = 1;\nfor (var i = 0; i < 2; i++) { int b = \"s\"; }"));
        Assert.Equal("CompilationError", failed.Name);
        Assert.StartsWith("(2,39): error CS0029", failed.Message);
    }

    [Fact]
    public async Task Exception_IsAnErrorWithTheCellsFrames_AndTheStateSurvives()
    {
        await using var engine = new CSharpScriptEngine();
        await Run(engine, "var kept = 1;");
        var failed = Assert.IsType<ExecutionOutcome.Failed>(await Run(engine, "void Fail() => throw new InvalidOperationException(\"boom\");\nFail();"));
        Assert.Equal("InvalidOperationException", failed.Name);
        Assert.Equal("boom", failed.Message);
        Assert.Contains(failed.Traceback, line => line.Contains("Fail()") && line.Contains(":line 1"));
        Assert.DoesNotContain(failed.Traceback, line => line.Contains("Microsoft.CodeAnalysis.Scripting"));
        Assert.Equal(ExecutionOutcome.WithValue(2), await Run(engine, "kept + 1"));
    }

    [Theory]
    [InlineData("while (true) { }")]
    [InlineData("for (;;) ;")]
    [InlineData("System.Threading.Thread.Sleep(600_000);")]
    [InlineData("await Task.Delay(600_000);")]
    public async Task Interrupt_EndsTheCell_AndTheNextCellWorks(string endless)
    {
        await using var engine = new CSharpScriptEngine();
        await Run(engine, "var before = 41;");
        var output = new RecordingOutput();
        using var interrupt = new CancellationTokenSource();
        var running = engine.ExecuteAsync("display(\"started\");\n" + endless, output, interrupt.Token);
        await output.Shown.Task.WaitAsync(TimeSpan.FromMinutes(5));
        await interrupt.CancelAsync();
        var failed = Assert.IsType<ExecutionOutcome.Failed>(await running.WaitAsync(TimeSpan.FromMinutes(5)));
        Assert.Contains("interrupted", failed.Message);
        Assert.Equal(ExecutionOutcome.WithValue(42), await Run(engine, "before + 1"));
    }

    [Theory]
    [InlineData("Console.WriteL", "WriteLine")]
    [InlineData("var abcdef = 1;\nvar n = abcd", "abcdef")]
    [InlineData("\"text\".ToUpperInv", "ToUpperInvariant")]
    [InlineData("new List<int>().Sel", "Select")]
    public async Task Complete_OffersTheSymbolsInScope(string code, string expected)
    {
        await using var engine = new CSharpScriptEngine();
        var completion = await engine.CompleteAsync(code, code.Length, CancellationToken.None);
        Assert.Contains(expected, completion.Matches);
        Assert.Equal(code.Length, completion.CursorEnd);
        Assert.StartsWith(code[completion.CursorStart..], expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_KnowsEarlierCells()
    {
        await using var engine = new CSharpScriptEngine();
        await Run(engine, "var earlierValue = 3;");
        Assert.Contains("earlierValue", (await engine.CompleteAsync("earl", 4, CancellationToken.None)).Matches);
    }

    [Fact]
    public async Task Inspect_ShowsTheSignatureAndSummary()
    {
        await using var engine = new CSharpScriptEngine();
        var math = await engine.InspectAsync("Math.Max", "Math.Max".Length, 0, CancellationToken.None);
        Assert.NotNull(math);
        Assert.Contains("Math.Max(int, int)", math);
        // .NET's docs come from the SDK's reference pack (present wherever the kit is built).
        Assert.Contains("Returns the larger of two", math);
        // The kit's own XML docs travel with it.
        var kit = await engine.InspectAsync("KitFormatters.Register", "KitFormatters.Register".Length, 0, CancellationToken.None);
        Assert.NotNull(kit);
        Assert.Contains("Registers every formatter once per process", kit);
        Assert.Null(await engine.InspectAsync("   ", 1, 0, CancellationToken.None));
    }

    [Theory]
    [InlineData("1 + 1", "complete")]
    [InlineData("var x = 1;", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("Console.WriteLine(", "incomplete")]
    [InlineData("}", "invalid")]
    [InlineData("int = 5;", "invalid")]
    public async Task IsComplete_TellsWhetherMoreLinesCouldFinishTheCode(string code, string status)
    {
        await using var engine = new CSharpScriptEngine();
        Assert.Equal(status, engine.IsComplete(code).Status);
    }

    [Fact]
    public async Task SetVariable_IsSeenByLaterCells_WithItsType()
    {
        await using var engine = new CSharpScriptEngine();
        await engine.SetVariableAsync("numbers", new List<int> { 1, 2 }, typeof(List<int>), CancellationToken.None);
        Assert.Equal(ExecutionOutcome.WithValue(3), await Run(engine, "numbers.Sum()"));
        Assert.Equal(new List<int> { 1, 2 }, engine.GetVariable("numbers"));
    }
}
