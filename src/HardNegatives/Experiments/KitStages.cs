using System.Text.Json;
using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Evaluation.Significance;
using HardNegatives.Generation;
using HardNegatives.Mining;
using HardNegatives.Negatives;
using HardNegatives.Reporting;
using HardNegatives.Retrieval;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Experiments;

/// <summary>The kit's own implementation of every stage: the same library calls the CLI commands and notebooks make.</summary>
public sealed partial class KitStages : IExperimentStages
{
    /// <summary>Table 1's significance test: a two-level paired bootstrap over queries × seeds (<see cref="SeedQueryBootstrap"/>),
    /// so seed-to-seed variance counts; the level is the spec's <c>evaluation.alpha</c>.</summary>
    public static PairedTest Significance => (a, b) => SeedQueryBootstrap.PValue(a, b);

    public async Task<IReadOnlyDictionary<string, string>> MakeNegativesAsync(NegativeSourceSpec source, TrainingDataSpec training, int seed,
        string outputDir, IProgress<StepProgress> progress, CancellationToken cancellationToken)
    {
        var output = Path.Combine(outputDir, ArtifactFiles.Triples);
        var dataset = DatasetLocator.Open(training.Dataset ?? throw new InvalidOperationException("this stage needs training.dataset"));
        var pairs = TrainingPairs.FromBeir(dataset, training.Split).Pairs;
        if (training.Limit > 0) pairs = pairs.Take(training.Limit).ToList();
        progress.Report(new StepProgress($"{source.Name}: {pairs.Count} training queries"));
        int rows = source.Kind switch
        {
            NegativeSourceKind.Random => await WriteAsync(output, RandomNegativeSampler.Sample(pairs, dataset.StreamCorpus().ToList(), source.NumNegatives, seed), cancellationToken),
            NegativeSourceKind.Bm25 => await MineBm25Async(dataset, training, source, seed, output, progress, cancellationToken),
            NegativeSourceKind.Ce => await MineCrossEncoderAsync(dataset, training, source, seed, output, progress, cancellationToken),
            NegativeSourceKind.Dense => await MineDenseAsync(dataset, training, source, seed, output, progress, cancellationToken),
            NegativeSourceKind.Llm => await GenerateAsync(pairs, source, seed, output, outputDir, progress, cancellationToken),
            _ => throw new InvalidOperationException($"unknown source kind {source.Kind}"),
        };
        // An empty negatives artifact would be stored as complete and fail only at training; refuse it here.
        if (rows == 0 && pairs.Count > 0)
            throw new InvalidOperationException($"{source.Name}: no negatives for any of the {pairs.Count} training queries; nothing is stored, fix the source and run again");
        return new Dictionary<string, string> { ["rows"] = $"{rows}", ["queries"] = $"{pairs.Count}" };
    }

    static async Task<int> WriteAsync(string path, IEnumerable<Triple> triples, CancellationToken ct)
    {
        int count = 0;
        await TriplesFile.WriteAsync(path, triples.Select(t => { count++; return t; }), ct);
        return count;
    }

    static async Task<int> MineBm25Async(BeirDataset dataset, TrainingDataSpec training, NegativeSourceSpec source, int seed, string output,
        IProgress<StepProgress> progress, CancellationToken ct)
    {
        using var index = await Bm25Index.OpenOrBuildAsync(dataset, new Bm25IndexOptions(), cancellationToken: ct);
        var miner = new Bm25NegativeMiner(index, MiningOptions(source, seed));
        var summary = await miner.MineToFileAsync(dataset, training.Split, output, MiningProgress("BM25 mining", progress), ct, training.Limit);
        return (int)summary.Rows;
    }

    static IProgress<Bm25Progress> MiningProgress(string what, IProgress<StepProgress> progress) => new Progress<Bm25Progress>(p =>
        progress.Report(new StepProgress($"{what} {p.Done}" + (p.Total is { } t ? $"/{t}" : ""), p.Total is > 0 ? (double)p.Done / p.Total.Value : null)));

    /// <summary>The spec's window and sampling as the miners' options; the same rules for BM25 and cross-encoder scores.</summary>
    static HardNegativeMiningOptions MiningOptions(NegativeSourceSpec source, int seed) => new(
        NumNegatives: source.NumNegatives, RangeMin: source.RangeMin, RangeMax: source.RangeMax,
        Sampling: source.Sampling == "random" ? NegativeSampling.Random : NegativeSampling.Top, Seed: seed);

    async Task<int> GenerateAsync(IReadOnlyList<TrainingPair> pairs, NegativeSourceSpec source, int seed, string output, string outputDir,
        IProgress<StepProgress> progress, CancellationToken ct)
    {
        // The kit's one thinking default (as hn generate): Qwen3's thinking off, other models as their template says.
        var thinking = ThinkingDefaults.For(source.Model!);
        // Every endpoint is probed before any item is asked for: a dead one is named with its cause at once.
        IReadOnlyList<Uri> endpoints = source.Backend is "openai" or "ollama"
            ? await EndpointProbe.RequireReachableAsync(source.Endpoints!.Select(e => new Uri(e)).ToList(),
                source.Backend == "ollama" ? ChatBackend.Ollama : ChatBackend.OpenAI, w => progress.Report(new StepProgress(w)), cancellationToken: ct)
            : [];
        using var client = GenerationBackends.Open(source.Backend!, source.Model!, endpoints, thinking,
            source.Backend == "openai" ? ChatBackends.ApiKeyFromEnvironment() : null);
        // The generation cache lives in the artifact's work folder, which survives a kill: a rerun never pays twice.
        var options = new GenerationOptions
        {
            Model = source.Model!, NumNegatives = source.NumNegatives, Seed = seed, CachePath = Path.Combine(outputDir, "generation-cache.jsonl"),
            Template = source.Template ?? PromptTemplates.DefaultId, Thinking = thinking,
        };
        var generator = new SyntheticNegativeGenerator(client, options);
        var result = await generator.GenerateToFileAsync(GenerationItem.From(pairs).ToList(), output,
            new Progress<GenerationProgress>(p => progress.Report(new StepProgress($"generated {p.Completed}/{p.Total}", p.Total == 0 ? null : (double)p.Completed / p.Total))), ct);
        if (result.Summary.Failed > 0)
            throw new InvalidOperationException($"{source.Name}: {result.Summary.FailureLine} (cache in {outputDir}); the negatives are not stored until every item has them");
        return result.Triples.Count;
    }

    public async Task<IReadOnlyDictionary<string, string>> RetrieveBm25Async(string dataset, string split, int topK, string outputDir,
        IProgress<StepProgress> progress, CancellationToken cancellationToken)
    {
        var data = DatasetLocator.Open(dataset);
        using var index = await Bm25Index.OpenOrBuildAsync(data, new Bm25IndexOptions(), cancellationToken: cancellationToken);
        using var searcher = new Bm25Searcher(index, new Bm25SearchOptions(TopK: topK));
        var queries = data.QueriesOf(split);
        var rankings = searcher.SearchAll(queries, new Progress<Bm25Progress>(p =>
            progress.Report(new StepProgress($"BM25 {p.Done}/{queries.Count}", (double)p.Done / Math.Max(1, queries.Count)))), queries.Count, cancellationToken);
        await TrecRunFile.WriteAsync(Path.Combine(outputDir, ArtifactFiles.Run), rankings.SelectMany(r => r.ToRunEntries("bm25")), cancellationToken);
        return new Dictionary<string, string> { ["queries"] = $"{queries.Count}" };
    }

    public Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string dataset, string split, string runPath, IReadOnlyList<string> metrics,
        string averageOver, string outputDir, IProgress<StepProgress> progress, CancellationToken cancellationToken)
    {
        var data = DatasetLocator.Open(dataset);
        // BEIR's convention that a document whose id equals the query id never counts (ArguAna, Quora) always applies.
        // Averaging follows evaluation.average_over: all_judged = trec_eval -c over every query in the qrels, a query the run
        // misses counting 0 (Anserini's and Pyserini's BEIR regressions); in_run = only the queries in the run (BEIR's own
        // EvaluateRetrieval). Tables are built from the per-query values, at full precision.
        var options = EvaluationOptions.Beir with { AverageOverAllJudgedQueries = averageOver == EvaluationSpec.AllJudged };
        var result = TrecEvaluator.Evaluate(data.QrelsPath(split), runPath, metrics, options);
        var perQuery = result.ValueNames.ToDictionary(n => n, n => result.PerQuery(n));
        File.WriteAllText(Path.Combine(outputDir, ArtifactFiles.PerQuery), JsonSerializer.Serialize(perQuery));
        IReadOnlyDictionary<string, string> summary = result.Summary.ToDictionary(s => s.Name, s => s.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return Task.FromResult(summary);
    }
}
