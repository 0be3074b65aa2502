using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using HardNegatives.Generation;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn bench generate</c>: sustained request rate of the generator against a loopback
/// OpenAI-compatible server that answers every request after L seconds. With C requests in flight the ideal rate is C/L;
/// the generator (OpenAI SDK, retries, filters, fsynced cache) is compared with it and with bare HttpClient calls at the
/// same concurrency, measured in the same run.
/// </summary>
public static class BenchGenerateCommand
{
    public static Command Create(string name)
    {
        var latency = new Option<double>("--latency") { Description = "Seconds the server takes per answer (L).", DefaultValueFactory = _ => 0.25 };
        var levels = new Option<int[]>("--concurrency") { Description = "Concurrency levels C to measure.", DefaultValueFactory = _ => [1, 4, 16, 64], AllowMultipleArgumentsPerToken = true };
        var waves = new Option<int>("--waves") { Description = "Requests per level = C × waves (ideal duration = waves × L).", DefaultValueFactory = _ => 20 };
        var command = new Command(name, "Throughput of LLM generation against a loopback server with fixed latency: requests/s vs the ideal C/L.")
        {
            latency, levels, waves,
        };
        command.SetAction(async (parse, ct) =>
        {
            var l = TimeSpan.FromSeconds(parse.GetValue(latency));
            var w = parse.GetValue(waves);
            if (l <= TimeSpan.Zero || w < 1) throw new ArgumentException("--latency must be positive and --waves at least 1");
            var rows = new List<(int C, int N, double Ideal, double Raw, double Generator)>();
            foreach (var c in parse.GetValue(levels)!)
            {
                if (c < 1) throw new ArgumentException("--concurrency levels must be at least 1");
                var n = c * w;
                var raw = await RawRateAsync(c, n, l, ct);
                var generator = await GeneratorRateAsync(c, n, l, ct);
                rows.Add((c, n, c / l.TotalSeconds, raw, generator));
                AnsiConsole.MarkupLine($"C={c}: ideal {c / l.TotalSeconds:F1}/s, HttpClient {raw:F1}/s, generator {generator:F1}/s");
            }
            var cpu = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(x => x.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
            Console.WriteLine();
            Console.WriteLine($"Machine: {cpu ?? "unknown CPU"}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. L = {l.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, {w} waves per level.");
            Console.WriteLine();
            Console.WriteLine("| C | requests | ideal C/L (req/s) | bare HttpClient (req/s) | generator (req/s) | generator / ideal | generator / HttpClient |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.C} | {r.N} | {r.Ideal:F1} | {r.Raw:F1} | {r.Generator:F1} | {r.Generator / r.Ideal:P0} | {r.Generator / r.Raw:P0} |"));
            return 0;
        });
        return command;
    }

    static readonly string Answer = JsonSerializer.Serialize(new
    {
        negatives = new[]
        {
            "Researchers measured serum markers in ninety volunteers and reported no change after treatment with the compound over twelve weeks of follow up.",
            "A mouse model of inflammation showed that receptor signalling increased cytokine release independently of dose or timing of the exposure.",
            "Population registries from northern Europe describe rising incidence of the condition among older women since the nineteen nineties.",
        },
    });

    static LoopbackChatServer Server(TimeSpan latency) => new(_ => LoopbackChatReply.Ok(Answer, latency));

    /// <summary>The transport alone: C tasks posting a chat request in a loop, no SDK, no cache.</summary>
    static async Task<double> RawRateAsync(int concurrency, int requests, TimeSpan latency, CancellationToken ct)
    {
        await using var server = Server(latency);
        using var http = new HttpClient();
        var url = new Uri(server.BaseUri + "/chat/completions");
        var body = new { model = "bench", messages = new[] { new { role = "user", content = "hello" } } };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (_, token) =>
        {
            using var response = await http.PostAsJsonAsync(url, body, token);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(token);
        });
        return requests / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The whole generator: OpenAI SDK, parsing, filters, one fsynced cache line per item.</summary>
    static async Task<double> GeneratorRateAsync(int concurrency, int requests, TimeSpan latency, CancellationToken ct)
    {
        await using var server = Server(latency);
        var dir = Directory.CreateTempSubdirectory("hn-bench-generate-");
        try
        {
            using var client = ChatBackends.OpenAICompatible(server.BaseUri, "bench");
            var options = new GenerationOptions { Model = "bench", Concurrency = concurrency, CachePath = Path.Combine(dir.FullName, "cache.jsonl") };
            var items = Enumerable.Range(0, requests).Select(i => new GenerationItem($"q{i}", $"Does drug{i} reduce mortality in heart failure?", $"d{i}",
                $"Treatment with drug{i} reduced all cause mortality by thirty percent in a randomized trial of adults with chronic heart failure.")).ToList();
            var clock = Stopwatch.StartNew();
            var result = await new SyntheticNegativeGenerator(client, options).GenerateAsync(items, cancellationToken: ct);
            var elapsed = clock.Elapsed;
            if (result.Summary.Requests != requests || result.Triples.Count != requests)
                throw new InvalidOperationException($"benchmark run went wrong: {result.Summary.Requests} requests, {result.Triples.Count} triples for {requests} items");
            return requests / elapsed.TotalSeconds;
        }
        finally { dir.Delete(recursive: true); }
    }
}
