using System.Reflection;
using HardNegatives.Experiments;
using HardNegatives.Identity;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HardNegatives.Tests.Experiments;

/// <summary>Artifact keys follow code and input content: a changed stage reruns itself and what depends on it, nothing else.</summary>
public sealed class StepIdentityTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("hn-identity-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Code and file identities the test controls.</summary>
    sealed class FakeInputs : IPlanInputs
    {
        public readonly Dictionary<string, string> Code = Stages.All.ToDictionary(s => s, s => s + "-v1");
        public readonly Dictionary<string, string> Files = new() { ["scifact/corpus"] = "c1", ["scifact/queries"] = "q1", ["scifact/qrels/test"] = "t1", ["scifact/qrels/train"] = "r1" };
        public string CodeOf(string stage) => Code[stage];
        public IReadOnlyDictionary<string, string> DatasetFiles(string dataset, string split, bool corpus) =>
            Files.Where(f => f.Key.StartsWith(dataset + "/") && (corpus || !f.Key.EndsWith("/corpus")) && (!f.Key.Contains("/qrels/") || f.Key.EndsWith("/" + split)))
                .ToDictionary();
        public string? LocalPath(string? nameOrPath) => null;
    }

    static ExperimentSpec Spec() => new("identity", new TrainingDataSpec("scifact"),
        [new NegativeSourceSpec(NegativeSourceKind.Bm25, "BM25")], new ModelSpec("tiny:layers=1,dim=32"), new EvaluationSpec(["scifact"]), [1]);

    sealed class RecordingStages : IExperimentStages
    {
        public readonly List<string> Calls = [];
        IReadOnlyDictionary<string, string> Do(string what, string dir, string file)
        {
            Calls.Add(what);
            if (file == ArtifactFiles.Model) Directory.CreateDirectory(Path.Combine(dir, file));
            else File.WriteAllText(Path.Combine(dir, file), what);
            return new Dictionary<string, string>();
        }
        public Task<IReadOnlyDictionary<string, string>> MakeNegativesAsync(NegativeSourceSpec s, TrainingDataSpec t, int seed, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("negatives", dir, ArtifactFiles.Triples));
        public Task<IReadOnlyDictionary<string, string>> TrainAsync(ModelSpec m, string triples, int seed, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("train", dir, ArtifactFiles.Model));
        public Task<IReadOnlyDictionary<string, string>> RetrieveDenseAsync(string model, string ds, string split, int k, int? maxLength, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("dense", dir, ArtifactFiles.Run));
        public Task<IReadOnlyDictionary<string, string>> RetrieveBm25Async(string ds, string split, int k, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("bm25", dir, ArtifactFiles.Run));
        public Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string ds, string split, string run, IReadOnlyList<string> m, string averageOver, string dir, IProgress<StepProgress> p, CancellationToken ct) =>
            Task.FromResult(Do("eval " + File.ReadAllText(run), dir, ArtifactFiles.PerQuery));
    }

    async Task<(Dictionary<string, string> Why, List<string> Calls)> RerunAsync(ExperimentPlan plan)
    {
        var runner = new ExperimentRunner(new ArtifactStore(_root), new RecordingStages());
        var why = runner.Preview(plan).ToDictionary(p => p.Step.Id, p => p.Why);
        var stages = new RecordingStages();
        await new ExperimentRunner(new ArtifactStore(_root), stages).RunAsync(plan);
        return (why, stages.Calls);
    }

    [Fact]
    public async Task ChangedTrainingCode_RerunsTrainingAndWhatDependsOnIt_NothingElse()
    {
        var inputs = new FakeInputs();
        var (first, calls) = await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        Assert.All(first.Values, w => Assert.Equal(RunReasons.Missing, w));
        Assert.Equal(6, calls.Count);

        inputs.Code[Stages.Train] = "train-v2";
        var (why, rerun) = await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        Assert.Equal(RunReasons.Stored, why["negatives/BM25"]);
        Assert.Equal(RunReasons.Code, why["train/BM25/seed=1"]);
        Assert.Equal(RunReasons.Input, why["retrieve/BM25/seed=1/scifact"]);
        Assert.Equal(RunReasons.Input, why["evaluate/BM25/seed=1/scifact"]);
        Assert.Equal(RunReasons.Stored, why["retrieve/bm25-baseline/scifact"]);
        Assert.Equal(RunReasons.Stored, why["evaluate/bm25-baseline/scifact"]);
        Assert.Equal(["train", "dense", "eval dense"], rerun);
    }

    [Fact]
    public async Task ChangedEvaluationCode_RerunsOnlyEvaluations()
    {
        var inputs = new FakeInputs();
        await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        inputs.Code[Stages.Evaluate] = "evaluate-v2";
        var (why, rerun) = await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        Assert.Equal(["eval dense", "eval bm25"], rerun);
        Assert.Equal(RunReasons.Code, why["evaluate/bm25-baseline/scifact"]);
    }

    [Fact]
    public async Task ChangedQrelsContent_RerunsEvaluationsOnly_ChangedTrainingQrels_RerunsEverySourceStep()
    {
        var inputs = new FakeInputs();
        await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        inputs.Files["scifact/qrels/test"] = "t2";
        var (why, rerun) = await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        Assert.Equal(RunReasons.Input, why["evaluate/BM25/seed=1/scifact"]);
        // The test split's queries are chosen by its qrels, so retrieval reruns too; negatives (train split) do not.
        Assert.Equal(RunReasons.Stored, why["negatives/BM25"]);
        Assert.DoesNotContain("negatives", rerun);

        inputs.Files["scifact/qrels/train"] = "r2";
        var (why2, _) = await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        Assert.Equal(RunReasons.Input, why2["negatives/BM25"]);
        Assert.Equal(RunReasons.Stored, why2["evaluate/bm25-baseline/scifact"]);
    }

    [Fact]
    public async Task ChangedOptions_AreNamedAsTheReason()
    {
        var inputs = new FakeInputs();
        await RerunAsync(ExperimentPlanner.Plan(Spec(), inputs));
        var spec = Spec() with { Model = new ModelSpec("tiny:layers=1,dim=32", Epochs: 2) };
        var (why, _) = await RerunAsync(ExperimentPlanner.Plan(spec, inputs));
        Assert.Equal(RunReasons.Options, why["train/BM25/seed=1"]);
        Assert.Equal(RunReasons.Stored, why["negatives/BM25"]);
    }

    [Fact]
    public void KitStageCodeIdentities_AreDistinctAndStable()
    {
        var ids = Stages.All.Where(KitPlanInputs.StageCode.ContainsKey).Select(KitPlanInputs.Instance.CodeOf).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, Stages.All.Where(KitPlanInputs.StageCode.ContainsKey).Select(s => CodeIdentity.Of(KitPlanInputs.StageCode[s])));
    }

    static Assembly Compile(string source)
    {
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("identity" + Guid.NewGuid().ToString("N"), [CSharpSyntaxTree.ParseText(source)], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var ms = new MemoryStream();
        var emitted = compilation.Emit(ms);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(ms.ToArray());
    }

    [Fact]
    public void CodeIdentity_FollowsTheNamespacesIL_NotTokenNumbersShiftedByOtherCode()
    {
        // B's code is the same in both assemblies, but A gains methods before it, shifting every metadata token number.
        const string b = "namespace B { public static class Q { public static int G(int x) => Helper.Twice(x) + 1; } static class Helper { public static int Twice(int x) => 2 * x; } }";
        var v1 = Compile("namespace A { public static class P { public static int F() => 1; } } " + b);
        var v2 = Compile("namespace A { public static class P { public static int F() => 2; public static int F2() => 3; public static string S() => \"s\"; } } " + b);
        var v3 = Compile("namespace A { public static class P { public static int F() => 1; } } " + b.Replace("+ 1", "+ 2"));
        Assert.Equal(CodeIdentity.Of(v1, "B"), CodeIdentity.Of(v2, "B"));
        Assert.NotEqual(CodeIdentity.Of(v1, "A"), CodeIdentity.Of(v2, "A"));
        Assert.NotEqual(CodeIdentity.Of(v1, "B"), CodeIdentity.Of(v3, "B"));
        Assert.Equal(CodeIdentity.Of(v1, "A"), CodeIdentity.Of(v3, "A"));
    }

    [Fact]
    public void ContentHash_FollowsBytesNotSize()
    {
        var a = Path.Combine(_root, "a.tsv");
        File.WriteAllText(a, "q1\t0\td1\t1\n");
        var before = ContentHash.OfFile(a);
        File.WriteAllText(a, "q1\t0\td2\t1\n"); // same size
        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddMinutes(1));
        Assert.NotEqual(before, ContentHash.OfFile(a));
        Assert.Equal(ContentHash.OfFile(a), ContentHash.OfPath(a));
    }
}
