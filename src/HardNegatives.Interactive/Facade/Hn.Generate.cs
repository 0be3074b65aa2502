using HardNegatives.Data;
using HardNegatives.Generation;
using HardNegatives.Interactive.Facade;
using HardNegatives.Negatives;

namespace HardNegatives.Interactive;

// LLM generation: the paper's method, one call.
public static partial class Hn
{
    /// <summary>
    /// LLM-generated hard negatives for the (query, positive) pairs of <paramref name="split"/>, as <c>hn generate</c>: the
    /// prompt template, JSON schema, lenient parsing, quality filters and retries of <see cref="SyntheticNegativeGenerator"/>,
    /// a resumable cache beside the triples file (a rerun asks only for what is missing), and a live progress display.
    /// Items that still fail are listed in the summary (run the cell again to retry only those).
    /// </summary>
    /// <param name="dataset">A bundled or downloaded dataset name (e.g. <c>scifact</c>) or a BEIR folder.</param>
    /// <param name="model">The model as the server knows it (<c>embedded</c>: a model folder or cached Hub id; <c>llamacpp</c>: a .gguf file).</param>
    /// <param name="endpoint">Server base URL(s), comma-separated for replicas of one model (OpenAI-compatible <c>http://host:8000/v1</c>,
    /// Ollama <c>http://host:11434</c>); not used by the in-process backends.</param>
    /// <param name="backend"><c>openai</c>, <c>ollama</c>, <c>embedded</c> or <c>llamacpp</c> (<see cref="GeneratorBackends"/>).</param>
    /// <param name="numNegatives">Negatives per (query, positive).</param>
    /// <param name="limit">Only the first N pairs (0 = all).</param>
    /// <param name="concurrency">Requests in flight at once (in-process backends run one at a time).</param>
    /// <param name="options">Every other setting (template, sampling, retries, filters); its Model, NumNegatives, Concurrency and
    /// CachePath are replaced by this call's. Thinking defaults as in <c>hn generate</c> (Qwen3's off).</param>
    /// <param name="output">Triples file; default <c>$HN_HOME/notebook/&lt;dataset&gt;-llm-&lt;model&gt;-….jsonl</c>, cache beside it.</param>
    public static async Task<GeneratedNegatives> Generate(string dataset, string model, string? endpoint = null, string backend = "openai",
        int numNegatives = 3, int limit = 0, string split = "train", int concurrency = 8, GenerationOptions? options = null, string? output = null,
        CancellationToken cancellationToken = default)
    {
        if (limit < 0) throw new ArgumentException($"limit must be 0 (all pairs) or more, got {limit}");
        var ds = DatasetLocator.Open(dataset);
        var path = output ?? Path.Combine(WorkFolder, $"{ds.Name}-llm-{Safe(model)}-{split}-n{numNegatives}" + (limit > 0 ? $"-q{limit}" : "") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var settings = (options ?? new GenerationOptions { Model = model, CachePath = "" }) with
        {
            Model = model, NumNegatives = numNegatives, Concurrency = concurrency, CachePath = path + ".cache.jsonl",
            Thinking = ThinkingDefaults.For(model, options?.Thinking),
        };
        settings.Validate();
        var endpoints = (endpoint ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(GeneratorBackends.ParseEndpoint).ToList();
        IEnumerable<TrainingPair> pairs = TrainingPairs.FromBeir(ds, split).Pairs;
        if (limit > 0) pairs = pairs.Take(limit);
        var items = GenerationItem.From(pairs).ToList();

        var live = HnDisplay.Progress<GenerationProgress>($"generating · {model}", p =>
            (p.Completed, p.Total, $"cached {p.FromCache}, failed {p.Failed}, requests {p.Requests}"));
        using var client = await GeneratorBackends.OpenAsync(backend, endpoints, model, settings.Thinking, ChatBackends.ApiKeyFromEnvironment(),
            warning => Console.WriteLine(warning), cancellationToken);
        var generator = new SyntheticNegativeGenerator(client, settings);
        var result = await generator.GenerateToFileAsync(items, path, live, cancellationToken);
        live?.Complete();
        return new GeneratedNegatives(ds.Name, model, result.Summary, result.Triples, path);
    }
}
