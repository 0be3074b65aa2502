using HardNegatives.Evaluation;
using HardNegatives.Interactive;
using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Engines;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Kernel;

/// <summary>The kit's layer over a language engine: magics, the built-in kit reference, refused NuGet references.</summary>
public class MagicAwareEngineTests
{
    static async Task<(ExecutionOutcome Outcome, RecordingCellOutput Output)> Run(ScriptedEngine inner, string code)
    {
        var output = new RecordingCellOutput();
        await using var engine = new MagicAwareEngine(inner);
        return (await engine.ExecuteAsync(code, output, default), output);
    }

    [Fact]
    public async Task KitReference_IsAlreadyLoaded_SaysSoInOneLine_AndKeepsLineNumbers()
    {
        var inner = new ScriptedEngine();
        var (outcome, output) = await Run(inner, "// setup\n#r \"nuget: HardNegatives.Interactive, 0.1.0\"\nusing System.IO;");
        Assert.Equal(ExecutionOutcome.NoValue, outcome);
        Assert.Equal("// setup\n\nusing System.IO;", Assert.Single(inner.Executed));   // line 3 stays line 3
        Assert.Equal("HardNegatives.Interactive, 0.1.0: built into this kernel, nothing to load\n", output.Stdout);
    }

    [Theory]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.3\"", "line 2: #r \"nuget: Newtonsoft.Json, 13.0.3\"")]
    [InlineData("#i \"nuget: /tmp/feed\"", "line 2: #i \"nuget: /tmp/feed\"")]
    public async Task OtherNuGetLines_AreRefused_NamingTheLineAndTheOtherKernel(string line, string named)
    {
        var inner = new ScriptedEngine();
        var failed = Assert.IsType<ExecutionOutcome.Failed>((await Run(inner, "let x = 1\n" + line)).Outcome);
        Assert.StartsWith(named, failed.Message);
        Assert.Contains(".NET Interactive kernel", failed.Message);
        Assert.Empty(inner.Executed);   // nothing of the cell ran
    }

    [Fact]
    public async Task Magic_ReadsAndDefinesTheEnginesVariables_BetweenItsCodeChunks()
    {
        var run = new List<RunEntry> { new("1", "31715818", 1, 9.0, "test"), new("1", "13734012", 2, 8.0, "test") };
        var inner = new ScriptedEngine();
        inner.Variables["myRun"] = run;
        var (outcome, output) = await Run(inner, "before\n#!hn-eval --run myRun --dataset scifact --name scored\nafter");
        Assert.Equal(ExecutionOutcome.NoValue, outcome);
        Assert.Equal(["before\n", "\n\nafter"], inner.Executed);       // "after" is still line 3
        var expected = Hn.Eval(run, "scifact");
        var kept = Assert.IsType<EvaluationResult>(inner.Variables["scored"]);
        Assert.Equal(expected.Summary.Single().Value, kept.Summary.Single().Value);
        Assert.Same(kept, Assert.Single(output.Displayed));
    }

    [Fact]
    public async Task MagicError_FailsTheCell_NamingTheLineTheMagicAndTheOption()
    {
        var inner = new ScriptedEngine();
        var failed = Assert.IsType<ExecutionOutcome.Failed>((await Run(inner, "first\n#!hn-mine bm25 --num-negatives 1\nnever")).Outcome);
        Assert.Equal("line 2: #!hn-mine needs --dataset", failed.Message);
        Assert.Equal(["first\n"], inner.Executed);
        var missing = Assert.IsType<ExecutionOutcome.Failed>((await Run(inner, "#!hn-eval --run nothing --dataset scifact")).Outcome);
        Assert.Equal("line 1: #!hn-eval --run nothing: no such file or folder, and no variable 'nothing' in the test kernel", missing.Message);
    }
}
