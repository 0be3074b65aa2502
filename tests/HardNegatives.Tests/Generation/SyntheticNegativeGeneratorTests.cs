using System.Collections.Concurrent;
using System.Text.Json;
using HardNegatives.Generation;
using HardNegatives.Negatives;
using static HardNegatives.Tests.Generation.LoopbackFixtures;

namespace HardNegatives.Tests.Generation;

/// <summary>The generator against a real HTTP server on loopback, through the OpenAI SDK, with scripted faults.</summary>
public sealed class SyntheticNegativeGeneratorTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-gen-").FullName;
    string Cache => Path.Combine(_dir, "cache.jsonl");
    string Output => Path.Combine(_dir, "negatives.jsonl");
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Good_answers_become_triples_with_provenance_and_the_request_carries_the_sampling_parameters()
    {
        await using var server = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "test-model");
        var generator = new SyntheticNegativeGenerator(client, Options(Cache));

        var result = await generator.GenerateToFileAsync(Items(3), Output);

        var triples = TriplesFile.Read(Output).ToList();
        Assert.Equal(["q0", "q1", "q2"], triples.Select(t => t.QueryId));
        Assert.All(triples, t =>
        {
            Assert.Equal("llm:test-model", t.Source);
            Assert.Equal(GoodNegatives.Take(3), t.Negatives.Select(n => n.Text));
            Assert.Equal(PromptTemplates.DefaultId, t.Options!["template"]);
            Assert.Equal("0.7", t.Options["temperature"]);
            Assert.Equal("0.8", t.Options["top_p"]);
            Assert.Equal("42", t.Options["seeds"]);
            Assert.Equal("2048", t.Options["max_tokens"]);
            Assert.Equal("100", t.Options["input_tokens"]);
            Assert.Equal("50", t.Options["output_tokens"]);
            Assert.Equal("1", t.Options["attempts"]);
            Assert.Equal(server.BaseUri.ToString().TrimEnd('/'), t.Options["endpoints"]);
            Assert.True(double.Parse(t.Options["latency_ms"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        });
        Assert.Equal(3, server.Hits);
        Assert.Equal(new GenerationSummary(3, 0, 3, 0, 0, 3, 9, 9, result.Summary.Rejections, result.Summary.Retries, 300, 150, result.Summary.Elapsed, []),
            result.Summary with { Rejections = result.Summary.Rejections, Failures = [] });
        Assert.Empty(result.Summary.Rejections);

        var body = server.Requests[0].Json;
        Assert.Equal("test-model", body.GetProperty("model").GetString());
        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble(), 5);
        Assert.Equal(0.8, body.GetProperty("top_p").GetDouble(), 5);
        Assert.Equal(42, body.GetProperty("seed").GetInt64());
        Assert.Equal(2048, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(2048, body.GetProperty("max_tokens").GetInt32()); // for servers that only read the older name
        var format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var schema = format.GetProperty("json_schema").GetProperty("schema");
        Assert.Equal(3, schema.GetProperty("properties").GetProperty("negatives").GetProperty("minItems").GetInt32());
        Assert.Equal(3, schema.GetProperty("properties").GetProperty("negatives").GetProperty("maxItems").GetInt32());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Every_fault_is_retried_or_filtered_and_counted()
    {
        var positive = Items(1)[0].Positive;
        var script = new Func<LoopbackChatRequest, LoopbackChatReply>[]
        {
            _ => LoopbackChatReply.Error(500),
            _ => LoopbackChatReply.Cut(),
            _ => LoopbackChatReply.Error(429, retryAfter: "1"),
            _ => LoopbackChatReply.Ok(Good(3), delay: TimeSpan.FromSeconds(120)), // far slower than the 5 s timeout (the server stops it on dispose)
            _ => LoopbackChatReply.Ok("{\"negatives\": [\"" + GoodNegatives[0] + "\", \"cut off at the tok"), // malformed JSON
            _ => LoopbackChatReply.Ok(Answer(
                "I cannot write misleading passages about heart failure trials, because that could cause harm to patients.",
                "As an AI language model, I must note that mortality outcomes in heart failure trials are complex to interpret.")),
            _ => LoopbackChatReply.Ok(Answer(positive, positive.ToUpperInvariant())),
            _ => LoopbackChatReply.Ok("Sure! Here you go:\n```json\n" + Answer(GoodNegatives[1], GoodNegatives[2]) + "\n```"),
        };
        await using var server = new LoopbackChatServer(r => script[r.Number - 1](r));
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "test-model");
        var options = Options(Cache) with { Concurrency = 1, RequestTimeout = TimeSpan.FromSeconds(5), MaxQualityRetries = 3, MaxAttempts = 5 };

        var result = await new SyntheticNegativeGenerator(client, options).GenerateToFileAsync(Items(1), Output);

        Assert.Equal(8, server.Hits);
        var triple = Assert.Single(TriplesFile.Read(Output));
        Assert.Equal(GoodNegatives.Take(3), triple.Negatives.Select(n => n.Text));
        Assert.Equal("8", triple.Options!["attempts"]);
        Assert.Equal("4", triple.Options["calls"]);
        Assert.Equal("42,43,44,45", triple.Options["seeds"]);
        Assert.Equal(new Dictionary<string, int> { ["429"] = 1, ["5xx"] = 1, ["connection"] = 1, ["timeout"] = 1 }, result.Summary.Retries);
        Assert.Equal(new Dictionary<string, int> { ["CopyOfPositive"] = 2, ["RefusalOrMeta"] = 2 }, result.Summary.Rejections);
        Assert.Equal(0, result.Summary.Failed);

        var requests = server.Requests.OrderBy(r => r.Number).ToList();
        Assert.True(requests[3].ReceivedAt - requests[2].ReceivedAt >= TimeSpan.FromSeconds(0.95), "Retry-After: 1 was not honoured");
        Assert.Equal([42, 42, 42, 42, 42, 43, 44, 45], requests.Select(r => r.Json.GetProperty("seed").GetInt64()));
        Assert.Equal([3, 3, 3, 3, 3, 2, 2, 2], requests.Select(Asked));
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_honoured()
    {
        await using var server = new LoopbackChatServer(r => r.Number == 1
            ? LoopbackChatReply.Error(429, retryAfter: DateTimeOffset.UtcNow.AddSeconds(2).ToString("r"))
            : LoopbackChatReply.Ok(Good(Asked(r))));
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "test-model");
        await new SyntheticNegativeGenerator(client, Options(Cache)).GenerateAsync(Items(1));
        var requests = server.Requests.OrderBy(r => r.Number).ToList();
        Assert.Equal(2, requests.Count);
        // HTTP-dates have whole seconds, so "now + 2 s" lies between 1 and 2 s ahead.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task An_item_that_keeps_failing_is_recorded_the_run_goes_on_and_the_next_run_retries_only_it()
    {
        await using (var flaky = new LoopbackChatServer(r => r.LastUserMessage.Contains("drug1 ") ? LoopbackChatReply.Error(503) : LoopbackChatReply.Ok(Good(Asked(r)))))
        {
            using var client = ChatBackends.OpenAICompatible(flaky.BaseUri, "test-model");
            var result = await new SyntheticNegativeGenerator(client, Options(Cache) with { MaxAttempts = 3 }).GenerateToFileAsync(Items(3), Output);
            Assert.Equal(["q0", "q2"], TriplesFile.Read(Output).Select(t => t.QueryId));
            var failure = Assert.Single(result.Summary.Failures);
            Assert.Equal("q1", failure.QueryId);
            Assert.Contains("5xx", failure.Error);
            Assert.Equal(1, result.Summary.Failed);
            Assert.Equal(5, flaky.Hits); // 2 good items + 3 attempts
        }
        await using var healthy = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using var again = ChatBackends.OpenAICompatible(healthy.BaseUri, "test-model");
        var second = await new SyntheticNegativeGenerator(again, Options(Cache)).GenerateToFileAsync(Items(3), Output);
        Assert.Equal(1, healthy.Hits);
        Assert.Contains("drug1 ", healthy.Requests[0].LastUserMessage);
        Assert.Equal(2, second.Summary.FromCache);
        Assert.Equal(["q0", "q1", "q2"], TriplesFile.Read(Output).Select(t => t.QueryId));
    }

    [Fact]
    public async Task Wrong_key_stops_the_run_with_a_clear_error()
    {
        await using var server = new LoopbackChatServer(_ => LoopbackChatReply.Error(401));
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "test-model", apiKey: "sk-wrong-key-0000");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new SyntheticNegativeGenerator(client, Options(Cache)).GenerateAsync(Items(5)));
        Assert.Contains("401", e.Message);
        Assert.Contains("--api-key-env", e.Message);
        Assert.DoesNotContain("sk-wrong-key-0000", e.Message);
        Assert.True(server.Hits <= 2, $"the run went on after a 401 ({server.Hits} requests)");
    }

    [Fact]
    public async Task The_api_key_is_sent_to_the_server_and_nowhere_else()
    {
        const string key = "sk-test-4e0f9c2b-SECRET";
        const string variable = "HN_TEST_GENERATION_KEY";
        Environment.SetEnvironmentVariable(variable, key);
        try
        {
            // The failing server echoes the key in its error body, as a careless proxy might.
            await using var server = new LoopbackChatServer(r => r.LastUserMessage.Contains("drug0 ")
                ? new LoopbackChatReply { Status = 500, RawBody = "{\"error\":{\"message\":\"bad token " + key + "\"}}" }
                : LoopbackChatReply.Ok(Good(Asked(r))));
            using var client = ChatBackends.Create(ChatBackend.OpenAI, [server.BaseUri], "test-model", ChatBackends.ApiKeyFromEnvironment(variable));
            var result = await new SyntheticNegativeGenerator(client, Options(Cache) with { MaxAttempts = 2 }).GenerateToFileAsync(Items(2), Output);

            Assert.All(server.Requests, r => Assert.Equal("Bearer " + key, r.Authorization));
            Assert.Single(result.Summary.Failures);
            Assert.DoesNotContain(key, File.ReadAllText(Cache));
            Assert.Contains("bad token ***", File.ReadAllText(Cache));
            Assert.DoesNotContain(key, File.ReadAllText(Output));
            Assert.DoesNotContain(key, JsonSerializer.Serialize(result.Summary));
        }
        finally { Environment.SetEnvironmentVariable(variable, null); }
    }

    [Fact]
    public async Task Thinking_is_switched_off_through_template_kwargs_or_the_soft_switch_and_think_blocks_are_removed()
    {
        await using var server = new LoopbackChatServer(r => LoopbackChatReply.Ok("<think>\nThe user wants [\"x\"]...\n</think>\n\n" + Good(Asked(r))));
        using var client = ChatBackends.OpenAICompatible(server.BaseUri, "Qwen/Qwen3-4B");
        var kwargs = await new SyntheticNegativeGenerator(client, Options(Cache, "Qwen/Qwen3-4B") with { Thinking = ThinkingControl.TemplateKwargs, UseJsonSchema = false })
            .GenerateAsync(Items(1));
        Assert.Equal(GoodNegatives.Take(3), kwargs.Triples[0].Negatives.Select(n => n.Text));
        var first = server.Requests[0];
        Assert.False(first.Json.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
        Assert.False(first.Json.TryGetProperty("response_format", out _));
        Assert.DoesNotContain("/no_think", first.LastUserMessage);

        await new SyntheticNegativeGenerator(client, Options(Cache, "Qwen/Qwen3-4B") with { Thinking = ThinkingControl.SoftSwitch }).GenerateAsync(Items(1));
        var second = server.Requests.Single(r => r.Number == 2);
        Assert.EndsWith("/no_think", second.LastUserMessage);
        Assert.False(second.Json.TryGetProperty("chat_template_kwargs", out _));
    }

    [Fact]
    public async Task Requests_spread_over_endpoints_and_a_failing_endpoint_is_avoided()
    {
        await using var a = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r)), TimeSpan.FromMilliseconds(20)));
        await using var b = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r)), TimeSpan.FromMilliseconds(20)));
        using (var pool = ChatBackends.Create(ChatBackend.OpenAI, [a.BaseUri, b.BaseUri], "test-model"))
        {
            var result = await new SyntheticNegativeGenerator(pool, Options(Cache) with { Concurrency = 4 }).GenerateAsync(Items(16));
            Assert.Equal(16, result.Triples.Count);
            Assert.Equal(16, a.Hits + b.Hits);
            Assert.InRange(a.Hits, 4, 12);
            Assert.Contains(result.Triples, t => t.Options!["endpoints"] == a.BaseUri.ToString().TrimEnd('/'));
        }

        await using var down = new LoopbackChatServer(_ => LoopbackChatReply.Error(503));
        await using var up = new LoopbackChatServer(r => LoopbackChatReply.Ok(Good(Asked(r))));
        using var mixed = ChatBackends.Create(ChatBackend.OpenAI, [down.BaseUri, up.BaseUri], "test-model");
        var mixedResult = await new SyntheticNegativeGenerator(mixed, Options(Path.Combine(_dir, "other.jsonl")) with { Concurrency = 4 }).GenerateAsync(Items(12));
        Assert.Equal(12, mixedResult.Triples.Count);
        Assert.Equal(12, up.Hits);
        // Benched after its first 503 for 5 s; only requests already routed to it before that can fail.
        Assert.InRange(down.Hits, 1, 4);
        Assert.Equal(0, mixedResult.Summary.Failed);
    }
}

/// <summary>The same generator through OllamaSharp against Ollama's native <c>/api/chat</c> on loopback.</summary>
public sealed class OllamaBackendTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-gen-ollama-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Ollama_native_backend_generates_and_records_usage()
    {
        await using var server = new LoopbackChatServer(r => r.Number == 1 ? LoopbackChatReply.Error(503) : LoopbackChatReply.Ok(Good(Asked(r))));
        var root = new Uri(server.BaseUri.GetLeftPart(UriPartial.Authority));
        using var client = ChatBackends.Create(ChatBackend.Ollama, [root], "qwen3:4b");
        var result = await new SyntheticNegativeGenerator(client, Options(Path.Combine(_dir, "c.jsonl"), "qwen3:4b") with { Concurrency = 1, Thinking = ThinkingControl.TemplateKwargs })
            .GenerateAsync(Items(2));

        Assert.Equal(2, result.Triples.Count);
        Assert.Equal("llm:qwen3:4b", result.Triples[0].Source);
        Assert.Equal(GoodNegatives.Take(3), result.Triples[0].Negatives.Select(n => n.Text));
        Assert.Equal("100", result.Triples[1].Options!["input_tokens"]);
        Assert.Equal(new Dictionary<string, int> { ["5xx"] = 1 }, result.Summary.Retries);
        var body = server.Requests[^1].Json;
        Assert.Equal("qwen3:4b", body.GetProperty("model").GetString());
        Assert.Equal(42, body.GetProperty("options").GetProperty("seed").GetInt64());
        Assert.Equal(0.7, body.GetProperty("options").GetProperty("temperature").GetDouble(), 5);
        Assert.Equal(2048, body.GetProperty("options").GetProperty("num_predict").GetInt32());
        Assert.False(body.GetProperty("think").GetBoolean());
        Assert.Equal(3, body.GetProperty("format").GetProperty("properties").GetProperty("negatives").GetProperty("minItems").GetInt32());
    }
}
