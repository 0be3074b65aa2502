using System.CommandLine;
using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Generation;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn generate</c>: LLM-generated hard negatives for a dataset's training pairs, from one or more servers, resumable.
/// Exit code 0 when every item was generated, 2 when some failed (the output holds the others; rerun to retry).
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "A bundled or downloaded dataset name, or a BEIR folder.", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split whose (query, positive) pairs get negatives.", DefaultValueFactory = _ => "train" };
        var endpoints = new Option<string[]>("--endpoint")
        {
            Description = "Server base URL (OpenAI-compatible: http://host:8000/v1; Ollama native: http://host:11434). Repeat for replicas of one model. Not used by --backend embedded or llamacpp.",
            AllowMultipleArgumentsPerToken = false,
        };
        var model = new Option<string>("--model") { Description = "Model name as the server knows it (embedded: a model folder or a Hugging Face repo id in the local cache; llamacpp: a .gguf file); the triples' source becomes llm:<model>.", Required = true };
        var template = new Option<string>("--template") { Description = $"Prompt template id ({string.Join(", ", PromptTemplates.Ids)}) or a template file.", DefaultValueFactory = _ => PromptTemplates.DefaultId };
        var numNegatives = new Option<int>("--num-negatives") { Description = "Negatives per (query, positive).", DefaultValueFactory = _ => 3 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once (over all endpoints).", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--output") { Description = "Triples file to write (JSONL, atomically at the end).", Required = true };
        var backend = new Option<string>("--backend") { Description = "openai (any OpenAI-compatible server), ollama (Ollama's native API), embedded (in-process TorchSharp decoder, no server) or llamacpp (in-process llama.cpp on a .gguf, no server).", DefaultValueFactory = _ => "openai" };
        backend.AcceptOnlyFromAmong([.. GenerationBackends.Names]);
        var limit = new Option<int?>("--limit") { Description = "Only the first N (query, positive) pairs." };
        var apiKeyEnv = new Option<string>("--api-key-env") { Description = "Environment variable holding the API key (never logged).", DefaultValueFactory = _ => ChatBackends.DefaultApiKeyVariable };
        var cache = new Option<string?>("--cache") { Description = "Append-only cache that makes the run resumable (default: <output>.cache.jsonl)." };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 0.7 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling.", DefaultValueFactory = _ => 0.8 };
        var seed = new Option<long>("--seed") { Description = "Base seed; call r of an item uses seed + r.", DefaultValueFactory = _ => 42 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Maximum tokens per answer.", DefaultValueFactory = _ => 2048 };
        var jsonSchema = new Option<bool>("--json-schema") { Description = "Ask for JSON matching a schema (response_format json_schema); 'false' for servers that reject it.", DefaultValueFactory = _ => true };
        var thinking = new Option<string?>("--thinking") { Description = "Switch a reasoning model's thinking off: leave, soft-switch (/no_think), template-kwargs (chat_template_kwargs.enable_thinking=false). Default: template-kwargs for Qwen3 models (thinking off, as hn reproduce), else the template's." };
        thinking.AcceptOnlyFromAmong("leave", "soft-switch", "template-kwargs");
        var timeout = new Option<double>("--timeout") { Description = "Seconds before a request counts as timed out and is retried.", DefaultValueFactory = _ => 300 };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Tries per call on 429/5xx/timeouts/dropped connections.", DefaultValueFactory = _ => 6 };
        var qualityRetries = new Option<int>("--quality-retries") { Description = "Extra calls for an item whose passages were rejected by the filters.", DefaultValueFactory = _ => 2 };

        var command = new Command("generate", "Generate hard negatives with an LLM for a dataset's training pairs (resumable; writes the shared triples format).")
        {
            dataset, split, endpoints, model, template, numNegatives, concurrency, output, backend, limit, apiKeyEnv, cache,
            temperature, topP, seed, maxTokens, jsonSchema, thinking, timeout, maxAttempts, qualityRetries,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var outputPath = parse.GetValue(output)!;
            var options = new GenerationOptions
            {
                Model = parse.GetValue(model)!,
                Template = parse.GetValue(template)!,
                NumNegatives = parse.GetValue(numNegatives),
                Concurrency = parse.GetValue(concurrency),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                Seed = parse.GetValue(seed),
                MaxOutputTokens = parse.GetValue(maxTokens),
                UseJsonSchema = parse.GetValue(jsonSchema),
                // The same default as `hn reproduce`: Qwen3's thinking off unless --thinking says otherwise.
                Thinking = ThinkingDefaults.For(parse.GetValue(model)!, parse.GetValue(thinking) switch
                {
                    "leave" => ThinkingControl.Leave,
                    "soft-switch" => ThinkingControl.SoftSwitch,
                    "template-kwargs" => ThinkingControl.TemplateKwargs,
                    _ => null,
                }),
                RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                MaxAttempts = parse.GetValue(maxAttempts),
                MaxQualityRetries = parse.GetValue(qualityRetries),
                CachePath = parse.GetValue(cache) ?? outputPath + ".cache.jsonl",
            };
            options.Validate();
            var backendName = parse.GetValue(backend)!;
            var uris = (parse.GetValue(endpoints) ?? []).Select(ParseEndpoint).ToList();
            if (!GenerationBackends.InProcess(backendName) && uris.Count == 0)
                throw new ArgumentException($"--backend {backendName} needs at least one --endpoint, e.g. http://localhost:8000/v1");
            var pairs = TrainingPairs.FromBeir(DatasetLocator.Open(parse.GetValue(dataset)!), parse.GetValue(split)!);
            var items = GenerationItem.From(pairs.Pairs).ToList();
            if (pairs.SkippedMissingQueries + pairs.SkippedMissingPositives > 0)
                AnsiConsole.MarkupLine($"[yellow]skipped {pairs.SkippedMissingQueries} queries without text and {pairs.SkippedMissingPositives} positives missing from the corpus[/]");
            if (parse.GetValue(limit) is { } n)
                items = n >= 0 ? items.Take(n).ToList() : throw new ArgumentException($"--limit must be 0 or more (got {n}); leave it out for every pair");
            if (!GenerationBackends.InProcess(backendName)) // in-process engines have no endpoint to probe
                uris = [.. await EndpointProbe.RequireReachableAsync(uris, backendName == "ollama" ? ChatBackend.Ollama : ChatBackend.OpenAI,
                    w => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(w)}[/]"), cancellationToken: cancellationToken)];

            using var client = GenerationBackends.Open(backendName, options.Model, uris, options.Thinking, backendName == "openai" ? ChatBackends.ApiKeyFromEnvironment(parse.GetValue(apiKeyEnv)!) : null);
            var generator = new SyntheticNegativeGenerator(client, options);

            var where = GenerationBackends.InProcess(backendName) ? "in-process" : $"on {uris.Count} endpoint(s): {string.Join(", ", uris.Select(ChatBackends.Label))}";
            AnsiConsole.MarkupLine($"generating [bold]{items.Count:N0}[/] items with [bold]{Markup.Escape(options.Model)}[/] " +
                $"({Markup.Escape(generator.Template.Id)} v{generator.Template.Version}) {Markup.Escape(where)}");
            AnsiConsole.MarkupLine($"cache: {Markup.Escape(Path.GetFullPath(options.CachePath))}");
            GenerationResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("items", maxValue: Math.Max(1, items.Count));
                    var progress = new LiveProgress(p =>
                    {
                        task.Value = p.Completed;
                        task.Description = $"items (cached {p.FromCache:N0}, failed {p.Failed:N0}, requests {p.Requests:N0})";
                    });
                    result = await generator.GenerateToFileAsync(items, outputPath, progress, cancellationToken);
                    task.Value = task.MaxValue;
                });
            Render(result!.Summary, outputPath);
            return result.Summary.Failed > 0 ? 2 : 0;
        });
        return command;
    }

    /// <summary>Reports synchronously: Spectre's task is thread-safe, and <see cref="Progress{T}"/> would reorder updates.</summary>
    sealed class LiveProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        readonly object _gate = new();
        public void Report(GenerationProgress value) { lock (_gate) report(value); }
    }

    static Uri ParseEndpoint(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"--endpoint '{text}' is not an http(s) URL; e.g. http://localhost:8000/v1");

    internal static void Render(GenerationSummary s, string outputPath)
    {
        var table = new Table().Title("generation summary").AddColumns("", "count");
        table.AddRow("items", $"{s.Items:N0}");
        table.AddRow("  from cache (not requested again)", $"{s.FromCache:N0}");
        table.AddRow("  generated now", $"{s.Generated:N0}");
        table.AddRow("  failed (retried next run)", $"{s.Failed:N0}");
        table.AddRow("  fewer negatives than asked", $"{s.Short:N0}");
        table.AddRow("requests sent now", $"{s.Requests:N0}");
        foreach (var (kind, count) in s.Retries) table.AddRow($"  retried after {Markup.Escape(kind)}", $"{count:N0}");
        table.AddRow("passages generated", $"{s.Candidates:N0}");
        table.AddRow("  kept", $"{s.Kept:N0}");
        foreach (var reason in Enum.GetNames<RejectionReason>().Append(SyntheticNegativeGenerator.Unparseable))
            table.AddRow(reason == SyntheticNegativeGenerator.Unparseable ? "unparseable answers" : $"  rejected: {Label(reason)}", $"{s.Rejections.GetValueOrDefault(reason):N0}");
        table.AddRow("tokens in / out", $"{s.InputTokens:N0} / {s.OutputTokens:N0}");
        table.AddRow("elapsed", s.Elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        foreach (var f in s.Failures.Take(10))
            AnsiConsole.MarkupLine($"[yellow]failed[/] {Markup.Escape(f.QueryId)} / {Markup.Escape(f.PositiveId)}: {Markup.Escape(f.Error)}");
        if (s.Failures.Count > 10) AnsiConsole.MarkupLine($"[yellow]… and {s.Failures.Count - 10} more failures[/]");
        if (s.Failed > 0) AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(s.FailureLine)}[/]");
        AnsiConsole.MarkupLine($"wrote {Markup.Escape(outputPath)}");
    }

    static string Label(string reason) => reason switch
    {
        nameof(RejectionReason.Empty) => "empty",
        nameof(RejectionReason.TooShort) => "too short",
        nameof(RejectionReason.TooLong) => "too long",
        nameof(RejectionReason.CopyOfPositive) => "copy of the positive",
        nameof(RejectionReason.CopyOfQuery) => "copy of the query",
        nameof(RejectionReason.RefusalOrMeta) => "refusal or meta text",
        nameof(RejectionReason.Duplicate) => "duplicate within the query",
        _ => reason,
    };
}
