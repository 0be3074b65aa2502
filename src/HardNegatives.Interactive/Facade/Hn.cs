using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Experiments;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Models.Hub;
using HardNegatives.Negatives;
using HardNegatives.Retrieval;
using HardNegatives.Retrieval.Bm25;
using HardNegatives.Training;
using HardNegatives.Interactive.Formatting;
using HardNegatives.Interactive.Facade;
using HardNegatives.Interactive.Progress;

namespace HardNegatives.Interactive;


/// <summary>
/// One-line cells for every step of the kit, for C# and F# alike: <c>var negatives = await Hn.MineBm25("scifact");</c>.
/// Each call runs the same library steps as the matching <c>hn</c> command and <c>#!hn-…</c> magic, shows live progress
/// in the cell when a kernel is attached, and returns a value the kit's formatters display richly.
/// </summary>
public static partial class Hn
{
    /// <summary>Where the facade writes files (triples, runs): <c>$HN_HOME/notebook</c>.</summary>
    public static string WorkFolder => Path.Combine(KitPaths.Home, "notebook");

    /// <summary>
    /// BM25 hard negatives for the training queries of <paramref name="split"/> (sentence-transformers' mining rules),
    /// written to a triples file and returned with the mining summary.
    /// </summary>
    /// <param name="dataset">A bundled or downloaded dataset name (e.g. <c>scifact</c>) or a BEIR folder.</param>
    /// <param name="numNegatives">Negatives per query.</param>
    /// <param name="limit">Mine only the first N training queries (0 = all).</param>
    public static Task<MinedNegatives> MineBm25(string dataset, int numNegatives = 3, int limit = 0, string split = "train",
        HardNegativeMiningOptions? options = null, string? output = null, CancellationToken cancellationToken = default) =>
        MineAsync(dataset, "bm25", "BM25", numNegatives, limit, split, options, output, (index, mining, ds, path, progress) =>
            new Bm25NegativeMiner(index, mining).MineToFileAsync(ds, split, path, progress, cancellationToken, limit), cancellationToken);

    /// <summary>
    /// Cross-encoder hard negatives (as <c>hn mine ce</c>): BM25's top <paramref name="candidates"/> per training query are
    /// rescored by a cross-encoder, and the negatives are chosen on its scores with the same window, sampling and margin
    /// rules as BM25 mining (<see cref="HardNegativeMiningOptions"/>; e.g. <c>RelativeMargin: 0.05</c> is NV-Retriever's
    /// TopK-PercPos 95%). Written to a triples file and returned with the mining summary.
    /// </summary>
    /// <param name="dataset">A bundled or downloaded dataset name (e.g. <c>scifact</c>) or a BEIR folder.</param>
    /// <param name="model">A cross-encoder: a local Hugging Face folder or a Hub id (downloaded once into the Hub cache).</param>
    /// <param name="numNegatives">Negatives per query.</param>
    /// <param name="limit">Mine only the first N training queries (0 = all).</param>
    /// <param name="candidates">BM25 hits rescored per query.</param>
    /// <param name="device"><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
    /// <param name="maxLength">Tokens per (query, passage) pair.</param>
    public static Task<MinedNegatives> MineCrossEncoder(string dataset, string model = "cross-encoder/ms-marco-MiniLM-L-6-v2", int numNegatives = 3,
        int limit = 0, string split = "train", int candidates = 100, HardNegativeMiningOptions? options = null, string device = "auto",
        int maxLength = 512, string? output = null, CancellationToken cancellationToken = default)
    {
        var rerank = new CrossEncoderMiningOptions(Candidates: candidates);
        rerank.Validate();
        return MineAsync(dataset, $"ce-{Safe(Path.GetFileName(model.TrimEnd('/')))}", "cross-encoder", numNegatives, limit, split, options, output, async (index, mining, ds, path, progress) =>
        {
            var folder = await ModelResolver.ResolveAsync(model, cancellationToken: cancellationToken);
            using var crossEncoder = CrossEncoder.Load(folder, TorchDevices.Parse(device), maxLength: maxLength);
            var miner = new CrossEncoderNegativeMiner(index, crossEncoder, mining, rerank, modelName: model);
            return await miner.MineToFileAsync(ds, split, path, progress, cancellationToken, limit);
        }, cancellationToken);
    }

    /// <summary>One mining run for the facade: the dataset's BM25 index (built once), a live display, the triples file, the result.</summary>
    static async Task<MinedNegatives> MineAsync(string dataset, string kind, string label, int numNegatives, int limit, string split, HardNegativeMiningOptions? options,
        string? output, Func<Bm25Index, HardNegativeMiningOptions, BeirDataset, string, IProgress<Bm25Progress>?, Task<MiningSummary>> mine,
        CancellationToken cancellationToken)
    {
        var ds = DatasetLocator.Open(dataset);
        options = (options ?? new HardNegativeMiningOptions()) with { NumNegatives = numNegatives };
        options.Validate();
        var path = output ?? Path.Combine(WorkFolder, $"{ds.Name}-{kind}-{split}-n{numNegatives}" + (limit > 0 ? $"-q{limit}" : "") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var progress = Bm25Live($"{label} mining · {ds.Name}");
        using var index = await Bm25Index.OpenOrBuildAsync(ds, progress: progress, cancellationToken: cancellationToken);
        var summary = await mine(index, options, ds, path, progress);
        progress?.Complete();
        return new MinedNegatives(ds.Name, summary.Source, summary, TriplesFile.Read(path).ToList(), path);
    }

    /// <summary>A BM25 run (top <paramref name="topK"/> per query) for the queries of <paramref name="split"/>, as TREC run entries.</summary>
    public static async Task<IReadOnlyList<RunEntry>> SearchBm25(string dataset, string split = "test", int limit = 0, int topK = 100,
        CancellationToken cancellationToken = default)
    {
        var ds = DatasetLocator.Open(dataset);
        var progress = Bm25Live($"BM25 search · {ds.Name}");
        using var index = await Bm25Index.OpenOrBuildAsync(ds, progress: progress, cancellationToken: cancellationToken);
        IEnumerable<Query> queries = ds.QueriesOf(split);
        if (limit > 0) queries = queries.Take(limit);
        using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(TopK: topK));
        var run = searcher.SearchAll(queries.ToList(), progress, cancellationToken: cancellationToken)
            .SelectMany(r => r.Hits.Select((h, i) => new RunEntry(h.QueryId, h.DocumentId, i + 1, h.Score, "bm25"))).ToList();
        progress?.Complete();
        return run;
    }

    /// <summary>
    /// Scores a run against <paramref name="dataset"/>'s qrels for <paramref name="split"/> with trec_eval semantics (BEIR
    /// conventions), averaged over the judged queries the run covers. Default measure: nDCG@10.
    /// </summary>
    public static EvaluationResult Eval(IEnumerable<RunEntry> run, string dataset, string split = "test", params string[] measures)
    {
        var entries = run as IReadOnlyList<RunEntry> ?? run.ToList();
        return EvaluateRun(JudgmentsFor(DatasetLocator.Open(dataset), split, entries.Select(e => e.QueryId)), entries,
            MeasureRegistry.Resolve(measures.Length > 0 ? measures : ["ndcg_cut.10"]));
    }

    /// <summary>The qrels of the judged queries among <paramref name="queryIds"/>: what the facade's evaluations average over.</summary>
    static Judgments JudgmentsFor(BeirDataset dataset, string split, IEnumerable<string> queryIds)
    {
        var covered = queryIds.ToHashSet(StringComparer.Ordinal);
        return Judgments.From(dataset.LoadQrels(split).Where(q => covered.Contains(q.QueryId)));
    }

    /// <summary>trec_eval semantics with BEIR's conventions, every judged query counted (a query the run misses scores 0).</summary>
    static EvaluationResult EvaluateRun(Judgments judgments, IReadOnlyList<RunEntry> run, IReadOnlyList<TrecMeasure> measures) =>
        TrecEvaluator.Evaluate(judgments, run, measures, EvaluationOptions.Beir with { AverageOverAllJudgedQueries = true });

    /// <summary>Scores a TREC run file; see <see cref="Eval(IEnumerable{RunEntry}, string, string, string[])"/>.</summary>
    public static EvaluationResult Eval(string runFile, string dataset, string split = "test", params string[] measures) =>
        Eval(TrecRunFile.Read(runFile).ToList(), dataset, split, measures);

    /// <summary>
    /// Plans, runs what is not stored yet, and reports an experiment (as <c>hn reproduce</c>): returns its Table 1.
    /// </summary>
    /// <param name="spec">A spec file or a folder holding spec.json, e.g. <c>experiments/quickstart</c> (found above the working folder).</param>
    /// <param name="store">Artifact store; default <c>$HN_HOME/store</c>.</param>
    public static async Task<ExperimentResult> Reproduce(string spec, string? store = null, string? reportFolder = null,
        CancellationToken cancellationToken = default)
    {
        var specPath = File.Exists(spec) || Directory.Exists(spec) ? spec : KitCheckout.Find(spec);
        var experiment = ExperimentSpecLoader.Load(specPath);
        var plan = ExperimentPlanner.Plan(experiment);
        var runner = new ExperimentRunner(new ArtifactStore(store ?? Path.Combine(KitPaths.Home, "store")), new KitStages());
        var live = HnDisplay.Progress<ExperimentProgress>($"reproduce {experiment.Name}", p =>
            (p.Index + (p.Status is StepStatus.Pending ? 0 : 1), p.Count, p.Inner is { } inner ? $"{p.Step.Id}: {inner.Message}" : p.Step.Id));
        var outcome = await runner.RunAsync(plan, null, live, cancellationToken);
        live?.Complete();
        var table = ExperimentReport.BuildTable(outcome, KitStages.Significance);
        var files = await ExperimentReport.WriteAsync(outcome, reportFolder ?? Path.Combine(WorkFolder, "results", experiment.Name), KitStages.Significance);
        return new ExperimentResult(experiment.Name, plan, outcome, table, files.Directory);
    }

    /// <summary>
    /// Trains a bi-encoder (MNRL, TorchSharp) on a triples file, as <c>hn train</c> does, with a live progress display and
    /// the loss curve. A run already completed with the same options returns its stored result.
    /// </summary>
    /// <param name="triples">A triples file (e.g. <c>negatives.TriplesPath</c>).</param>
    /// <param name="baseModel">A preset (<c>tiny:layers=2,dim=128</c>, <c>distilbert</c>…) or a model folder / Hub id.</param>
    public static async Task<TrainedRetriever> Train(string triples, string baseModel = "tiny:layers=2,dim=128", TrainingOptions? training = null,
        int maxLength = 128, string? output = null, CancellationToken cancellationToken = default)
    {
        training ??= new TrainingOptions(BatchSize: 16, LearningRate: 1e-3, HardNegatives: 1, Seed: 42, CheckpointEvery: 0);
        var folder = output ?? Path.Combine(WorkFolder, "models", $"{Path.GetFileNameWithoutExtension(triples)}-{Safe(baseModel)}");
        var steps = new List<TrainingProgress>();
        var live = HnDisplay.Progress<TrainingProgress>("training", p => (p.Step, p.TotalSteps, $"loss {p.Loss:F4}"));
        var progress = new Reporter<TrainingProgress>(p => { lock (steps) steps.Add(p); live?.Report(p); });
        var result = await BiEncoderTrainer.TrainAsync(new BiEncoderTrainingOptions(baseModel, maxLength, "auto", training), triples, folder, progress, cancellationToken);
        live?.Complete();
        return new TrainedRetriever(baseModel, triples, result, TrainingCurves.From($"{baseModel}, {Path.GetFileNameWithoutExtension(triples)}", steps.OrderBy(s => s.Step)));
    }

    /// <summary>Exact dense retrieval with a trained bi-encoder over a dataset's corpus, for the queries of <paramref name="split"/>.</summary>
    public static IReadOnlyList<RunEntry> SearchDense(string modelFolder, string dataset, string split = "test", int topK = 100,
        CancellationToken cancellationToken = default)
    {
        var ds = DatasetLocator.Open(dataset);
        using var model = BiEncoderModels.Load(modelFolder);
        var live = HnDisplay.Progress<DenseRetrievalProgress>($"dense search · {ds.Name}", p => (p.Done, p.Total > 0 ? p.Total : null, p.Part));
        var run = DenseRetriever.Search(model.Encoder, ds, split, new ExactDenseSearchOptions { TopK = topK }, progress: live, cancellationToken: cancellationToken);
        live?.Complete();
        return run;
    }

    static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));

    /// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (Progress&lt;T&gt; posts later, out of order).</summary>
    sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    static LiveProgress<Bm25Progress>? Bm25Live(string label) =>
        HnDisplay.Progress<Bm25Progress>(label, p => (p.Done, p.Total, p.Stage));
}
