using HardNegatives.Interactive;
using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Engines;
using HardNegatives.Kernel.Engines.FSharp;

namespace HardNegatives.Tests.Kernel;

/// <summary>One F# session shared by the tests of this class (it takes seconds to start); each test uses its own names.</summary>
public sealed class FSharpEngineFixture : IAsyncLifetime
{
    public FSharpScriptEngine Engine { get; private set; } = null!;
    public Task InitializeAsync() { Engine = new FSharpScriptEngine(); return Task.CompletedTask; }
    public async Task DisposeAsync() => await Engine.DisposeAsync();
}

/// <summary>
/// The F# engine over FSharp.Compiler.Service, in-process (stdout/stderr through the kernel: the conformance suite in
/// tests/kernel). In the one-live-display collection: the facade's steps run here.
/// </summary>
[Collection(HardNegatives.Tests.BadInput.InProcessProgressCollection.Name)]
public class FSharpScriptEngineTests(FSharpEngineFixture fixture) : IClassFixture<FSharpEngineFixture>
{
    FSharpScriptEngine Engine => fixture.Engine;

    async Task<(ExecutionOutcome Outcome, RecordingCellOutput Output)> Run(string code, CancellationToken cancellationToken = default)
    {
        var output = new RecordingCellOutput();
        // The guard only ends a hung test (a cell here takes well under a second).
        return (await Engine.ExecuteAsync(code, output, cancellationToken).WaitAsync(TimeSpan.FromMinutes(2)), output);
    }

    static object? Value(ExecutionOutcome outcome) =>
        Assert.IsType<ExecutionOutcome.Succeeded>(outcome) is { HasValue: true } ok ? ok.Value : throw new Xunit.Sdk.XunitException($"no value: {outcome}");

    [Fact]
    public async Task State_PersistsAcrossCells_AndATrailingExpressionIsTheValue()
    {
        var (first, _) = await Run("let stateA = 40\nlet stateB = 2");
        Assert.Equal(ExecutionOutcome.NoValue, first);
        Assert.Equal(42, Value((await Run("stateA + stateB")).Outcome));
        Assert.Equal(84, Value((await Run("let twice x = 2 * x\ntwice (stateA + stateB)")).Outcome));
        Assert.Equal(ExecutionOutcome.NoValue, (await Run("printfn \"unit is no value\"")).Outcome);   // unit: nothing to show
    }

    [Fact]
    public async Task Display_ShowsTheValueInTheRunningCell()
    {
        var (outcome, output) = await Run("let shown = display [1; 2; 3]\nshown.GetType().Name");
        Assert.Equal("DisplayedValue", Value(outcome));
        Assert.Equal([1, 2, 3], Assert.IsAssignableFrom<IEnumerable<int>>(Assert.Single(output.Displayed)));
    }

    [Fact]
    public async Task CompileError_NamesLineAndColumn_AndTheNextCellWorks()
    {
        var (outcome, _) = await Run("let fine = 1\nlet broken : int = \"text\"");
        var failed = Assert.IsType<ExecutionOutcome.Failed>(outcome);
        Assert.Equal("CompilationError", failed.Name);
        Assert.StartsWith("(2,20): error FS0001:", failed.Message);
        Assert.Contains("(1,1): error FS0039: The value or constructor 'undefinedName' is not defined",
            Assert.IsType<ExecutionOutcome.Failed>((await Run("undefinedName + 1")).Outcome).Message);
        Assert.Equal(3, Value((await Run("1 + 2")).Outcome));
    }

    [Fact]
    public async Task Exception_BecomesAnErrorWithItsTypeAndMessage()
    {
        var failed = Assert.IsType<ExecutionOutcome.Failed>((await Run("let boom () : int = invalidOp \"the cell threw\"\nboom ()")).Outcome);
        Assert.Equal("InvalidOperationException", failed.Name);
        Assert.Equal("the cell threw", failed.Message);
        Assert.StartsWith("System.InvalidOperationException: the cell threw", failed.Traceback[0]);
    }

    [Fact]
    public async Task Interrupt_EndsARunningCell_AndTheNextCellWorks()
    {
        using var interrupt = new CancellationTokenSource();
        var output = new RecordingCellOutput();
        var running = Engine.ExecuteAsync("display \"spinning\" |> ignore\nlet mutable spins = 0L\nwhile true do spins <- spins + 1L", output, interrupt.Token);
        // Interrupt only once the loop runs (the cell says so; no timing guess); the guard only ends a hung test.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (output.Displayed.Count == 0) await Task.Delay(20, guard.Token);
        interrupt.Cancel();
        var failed = Assert.IsType<ExecutionOutcome.Failed>(await running.WaitAsync(guard.Token));
        Assert.Equal("OperationCanceledException", failed.Name);
        Assert.Equal(5, Value((await Run("2 + 3")).Outcome));
    }

    [Fact]
    public async Task Completion_OffersMembers_AndNamesFromEarlierCells()
    {
        await Run("let completionTarget = \"abc\"");
        var members = await Engine.CompleteAsync("System.Console.WriteL", 21, default);
        Assert.Contains("WriteLine", members.Matches);
        Assert.Equal((15, 21), (members.CursorStart, members.CursorEnd));
        var names = await Engine.CompleteAsync("completionTar", 13, default);
        Assert.Contains("completionTarget", names.Matches);
        var ofValue = await Engine.CompleteAsync("completionTarget.ToUpp", 22, default);
        Assert.Contains("ToUpper", ofValue.Matches);
    }

    [Fact]
    public async Task Inspect_GivesTheSignature()
    {
        await Run("let inspected (x: int) = x + 1");
        var tip = await Engine.InspectAsync("inspected 3", 4, 0, default);
        Assert.Contains("val inspected: x: int -> int", tip);
    }

    [Theory]
    [InlineData("1 + 1", "complete")]
    [InlineData("let f x =", "incomplete")]
    [InlineData("let xs = [1; 2", "incomplete")]
    [InlineData("let x = )", "invalid")]
    public void IsComplete_AsksForMoreLinesOnlyWhenInputIsUnfinished(string code, string status) =>
        Assert.Equal(status, Engine.IsComplete(code).Status);

    [Fact]
    public async Task Variables_HandedInAndOut_AsTheMagicsDo()
    {
        await Engine.SetVariableAsync("handedIn", new List<string> { "a", "b" }, typeof(List<string>), default);
        Assert.Equal(2, Value((await Run("handedIn.Count")).Outcome));
        await Run("let handedOut = handedIn.Count * 10");
        Assert.Equal(20, Engine.GetVariable("handedOut"));
        Assert.Null(Engine.GetVariable("neverBound"));
    }

    [Fact]
    public async Task TheKit_IsReferenced_WithoutAnyHashR()
    {
        var (outcome, _) = await Run("open HardNegatives.Interactive\nHn.WorkFolder");
        Assert.Equal(Hn.WorkFolder, Value(outcome));
    }

    [Fact]
    public async Task Magics_RunInFSharpCells_AndHandTheirResultsToFSharpCode()
    {
        var kit = new MagicAwareEngine(Engine);   // (not disposed: it would dispose the shared session)
        var output = new RecordingCellOutput();
        var outcome = await kit.ExecuteAsync(
            "#r \"nuget: HardNegatives.Interactive, 0.1.0\"\nopen HardNegatives.Interactive\n" +
            "#!hn-search bm25 --dataset scifact --limit 5 --name fsRun\n#!hn-eval --run fsRun --dataset scifact --name fsEval\n" +
            "fsEval.Summary.[0].Value", output, default);
        var expected = Hn.Eval(await Hn.SearchBm25("scifact", "test", limit: 5), "scifact").Summary[0].Value;
        Assert.Equal(expected, Value(outcome));
        Assert.Contains("bm25 run: 5 queries, 500 results", output.Stdout);
        Assert.Contains("HardNegatives.Interactive, 0.1.0: built into this kernel", output.Stdout);
    }
}
