using HardNegatives.Evaluation;
using HardNegatives.Interactive;
using HardNegatives.Interactive.Magics;
using HardNegatives.Retrieval;
using HardNegatives.Tests.Models;

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
        Assert.Equal(new MineMagic("cross-encoder", "scifact", 2, Model: "ce"), Parsed("#!hn-mine cross-encoder --dataset scifact --model ce --num-negatives 2", MineMagic.From));
        Assert.Equal(new GenerateMagic("scifact", "qwen3:4b", "http://localhost:11434", "ollama", Limit: 5, Concurrency: 2),
            Parsed("#!hn-generate --dataset scifact --model qwen3:4b --endpoint http://localhost:11434 --backend ollama --limit 5 --concurrency 2", GenerateMagic.From));
    }

    [Theory]
    [InlineData("#!hn-mine bm25 --num-negatives 1", "#!hn-mine needs --dataset")]
    [InlineData("#!hn-train --max-steps 3", "#!hn-train needs --triples (a #!hn-mine variable or a triples file)")]
    [InlineData("#!hn-mine bm25 --dataset scifact --limit ten", "#!hn-mine --limit ten: not a whole number")]
    [InlineData("#!hn-mine bm25 --dataset scifact --negatives 2", "#!hn-mine: unknown option --negatives; options are --source, --dataset, --num-negatives, --limit, --split, --name, --model")]
    [InlineData("#!hn-eval --run run --dataset", "#!hn-eval --dataset: a value is missing")]
    [InlineData("#!hn-eval run --dataset scifact", "#!hn-eval: unexpected 'run'; options are --run, --dataset, --split, --measure, --name")]
    [InlineData("#!hn-mine bm25 --dataset \"sci fact", "a quote is not closed")]
    [InlineData("#!hn-minebm25", "#!hn-minebm25: no such magic; the kit's magics are #!hn-mine, #!hn-generate, #!hn-search, #!hn-train, #!hn-eval, #!hn-reproduce")]
    [InlineData("#!hn-generate --dataset scifact --endpoint http://localhost:8000/v1", "#!hn-generate needs --model")]
    [InlineData("#!hn-mine bm25 --dataset scifact --model m", "#!hn-mine bm25 --model m: BM25 takes no model; did you mean #!hn-mine cross-encoder?")]
    [InlineData("#!hn-mine colbert --dataset scifact", "#!hn-mine colbert: use bm25 or cross-encoder (LLM negatives: #!hn-generate)")]
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

    [Fact]
    public async Task MineCrossEncoder_KeepsWhatTheFacadeMines()
    {
        var dir = Directory.CreateTempSubdirectory("hn-magic-ce-").FullName;
        var folder = Path.Combine(dir, "ce");
        using (var random = CrossEncoderTests.RandomCrossEncoder(7)) random.Save(folder);
        var host = new RecordingHost();
        await HnMagicCatalog.RunLineAsync($"#!hn-mine cross-encoder --dataset scifact --model \"{folder}\" --num-negatives 1 --limit 3 --name ceNegatives", host);
        var kept = Assert.IsType<HardNegatives.Interactive.Facade.MinedNegatives>(host.Variables["ceNegatives"]);
        Assert.Same(kept, Assert.Single(host.Shown));
        var direct = await Hn.MineCrossEncoder("scifact", folder, numNegatives: 1, limit: 3, output: Path.Combine(dir, "direct.jsonl"));
        Assert.Equal(File.ReadAllText(direct.TriplesPath), File.ReadAllText(kept.TriplesPath));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Generate_KeepsTheGeneratedNegatives_WhichHnTrainAccepts()
    {
        var corpus = HardNegatives.Data.DatasetLocator.Open("scifact").StreamCorpus().Skip(200).Take(20).Select(d => d.FullText).ToList();
        // A scripted OpenAI-compatible stand-in (other SciFact abstracts, not model output).
        await using var server = new HardNegatives.Generation.LoopbackChatServer(request => HardNegatives.Generation.LoopbackChatReply.Ok(
            System.Text.Json.JsonSerializer.Serialize(new { negatives = new[] { corpus[request.Number % corpus.Count], corpus[(request.Number + 7) % corpus.Count] } })));
        var model = "magic-stand-in-" + Guid.NewGuid().ToString("N")[..8];   // its own cache: nothing from an earlier run
        var host = new RecordingHost();
        await HnMagicCatalog.RunLineAsync($"#!hn-generate --dataset scifact --model {model} --endpoint {server.BaseUri} --num-negatives 2 --limit 3 --concurrency 1", host);
        var kept = Assert.IsType<HardNegatives.Interactive.Facade.GeneratedNegatives>(host.Variables["negatives"]);
        Assert.Equal(3, kept.Triples.Count);
        Assert.Equal(3, server.Hits);
        Assert.All(kept.Triples, t => Assert.Equal("llm:" + model, t.Source));
        // #!hn-train takes it like mined negatives: the variable resolves to its triples file (a wrong kind is named instead).
        var wrong = await Assert.ThrowsAsync<ArgumentException>(() => HnMagicCatalog.RunLineAsync("#!hn-train --triples text", new RecordingHost { Variables = { ["text"] = "x" } }));
        Assert.Contains("not negatives (#!hn-mine, #!hn-generate)", wrong.Message);
        Assert.Equal(kept.TriplesPath, (await host.VariableAsync<HardNegatives.Interactive.Facade.INegativesFile>("negatives", "#!hn-train --triples", "negatives")).TriplesPath);
    }
}
