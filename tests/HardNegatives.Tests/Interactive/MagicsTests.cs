using HardNegatives.Evaluation;
using HardNegatives.Interactive;
using HardNegatives.Interactive.Magics;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Interactive;

/// <summary>The magics' one implementation, shared by the .NET Interactive extension and the kit's kernels: parsing and hand-off.</summary>
public class MagicsTests
{
    /// <summary>A kernel as the magics see it: variables in a dictionary, what was shown in a list.</summary>
    sealed class RecordingHost(string kernelName = "test") : IMagicHost
    {
        public Dictionary<string, object?> Variables { get; } = new(StringComparer.Ordinal);
        public List<object> Shown { get; } = [];
        public Exception? RefuseVariables { get; init; }
        public string KernelName => kernelName;
        public CancellationToken CancellationToken => default;
        public void Display(object value) => Shown.Add(value);
        public void DisplayText(string text) => Shown.Add(text);
        public Task<(bool Found, object? Value)> TryGetVariableAsync(string name) =>
            Task.FromResult(Variables.TryGetValue(name, out var value) ? (true, value) : (false, (object?)null));
        public Task SetVariableAsync(string name, object value, Type type) =>
            RefuseVariables is { } e ? Task.FromException(e) : Task.FromResult(Variables[name] = value);
    }

    static T Parsed<T>(string line, Func<MagicArguments, T> from) => from(MagicLine.Parse(line).Arguments);

    [Fact]
    public void Parse_FillsTheOptionsRecord_WithItsDefaults()
    {
        Assert.Equal(new MineMagic("bm25", "scifact", NumNegatives: 1), Parsed("#!hn-mine bm25 --dataset scifact --num-negatives 1", MineMagic.From));
        Assert.Equal(new MineMagic("bm25", "scifact", 3, 0, "train", "negatives"), Parsed("#!hn-mine --dataset scifact", MineMagic.From));
        Assert.Equal(new SearchMagic("dense", "scifact", "my model", TopK: 10, Name: "denseRun"),
            Parsed("  #!hn-search dense --model \"my model\" --dataset scifact --top-k 10 --name denseRun", SearchMagic.From));
        Assert.Equal(new ReproduceMagic("experiments/quickstart", "/tmp/store"), Parsed("#!hn-reproduce experiments/quickstart --store /tmp/store", ReproduceMagic.From));
        Assert.Equal(new ReproduceMagic("experiments/quickstart"), Parsed("#!hn-reproduce --spec experiments/quickstart", ReproduceMagic.From));
        Assert.Equal(["ndcg_cut.10", "recall.100"], Parsed("#!hn-eval --run run --dataset scifact --measure ndcg_cut.10,recall.100", EvalMagic.From).Measures);
        Assert.Equal(new TrainMagic("negatives", MaxSteps: 4), Parsed("#!hn-train --triples negatives --max-steps 4", TrainMagic.From));
    }

    [Theory]
    [InlineData("#!hn-mine bm25 --num-negatives 1", "#!hn-mine needs --dataset")]
    [InlineData("#!hn-train --max-steps 3", "#!hn-train needs --triples (a #!hn-mine variable or a triples file)")]
    [InlineData("#!hn-mine bm25 --dataset scifact --limit ten", "#!hn-mine --limit ten: not a whole number")]
    [InlineData("#!hn-mine bm25 --dataset scifact --negatives 2", "#!hn-mine: unknown option --negatives; options are --source, --dataset, --num-negatives, --limit, --split, --name")]
    [InlineData("#!hn-eval --run run --dataset", "#!hn-eval --dataset: a value is missing")]
    [InlineData("#!hn-eval run --dataset scifact", "#!hn-eval: unexpected 'run'; options are --run, --dataset, --split, --measure, --name")]
    [InlineData("#!hn-mine bm25 --dataset \"sci fact", "a quote is not closed")]
    [InlineData("#!hn-minebm25", "#!hn-minebm25: no such magic; the kit's magics are #!hn-mine, #!hn-search, #!hn-train, #!hn-eval, #!hn-reproduce")]
    public async Task Errors_NameTheMagicAndTheOption(string line, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => HnMagicCatalog.RunLineAsync(line, new RecordingHost()));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Eval_ReadsTheRunVariable_ShowsAndKeepsTheLibrarysResult()
    {
        var run = new List<RunEntry> { new("1", "31715818", 1, 9.0, "test"), new("3", "14717500", 1, 5.0, "test"), new("3", "x", 2, 4.0, "test") };
        var host = new RecordingHost { Variables = { ["bm25Run"] = run } };
        await HnMagicCatalog.RunLineAsync("#!hn-eval --run bm25Run --dataset scifact --measure ndcg_cut.10,recall.100", host);
        var kept = Assert.IsType<EvaluationResult>(host.Variables["evaluation"]);
        Assert.Same(kept, Assert.Single(host.Shown));
        var expected = Hn.Eval(run, "scifact", "test", "ndcg_cut.10", "recall.100");
        Assert.Equal(expected.Summary.Select(m => (m.Measure, m.Value)), kept.Summary.Select(m => (m.Measure, m.Value)));
    }

    [Fact]
    public async Task AVariableOfTheWrongKind_OrNone_IsNamedInTheError()
    {
        var host = new RecordingHost("fsharp") { Variables = { ["text"] = "not a run" } };
        var wrong = await Assert.ThrowsAsync<ArgumentException>(() => HnMagicCatalog.RunLineAsync("#!hn-eval --run text --dataset scifact", host));
        Assert.Equal("#!hn-eval --run text: the variable holds String, not run entries", wrong.Message);
        var none = await Assert.ThrowsAsync<ArgumentException>(() => HnMagicCatalog.RunLineAsync("#!hn-train --triples mined", host));
        Assert.Equal("#!hn-train --triples mined: no such file or folder, and no variable 'mined' in the fsharp kernel", none.Message);
    }

    [Fact]
    public async Task AKernelThatRefusesTheVariable_StillShowsTheResult_AndSaysSo()
    {
        var host = new RecordingHost { Variables = { ["run"] = new List<RunEntry> { new("1", "31715818", 1, 9.0, "test") } }, RefuseVariables = new InvalidOperationException("read-only") };
        await HnMagicCatalog.RunLineAsync("#!hn-eval --run run --dataset scifact", host);
        Assert.IsType<EvaluationResult>(host.Shown[0]);
        Assert.Equal("note: the result was not kept in 'evaluation': read-only", host.Shown[1]);
    }
}
