using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Generation;

/// <summary>One chat-completions request as the <see cref="LoopbackChatServer"/> received it.</summary>
/// <param name="Number">1-based arrival order over the server's lifetime.</param>
/// <param name="ReceivedAt">When the whole request had arrived (tests check that Retry-After was honoured).</param>
/// <param name="Authorization">The raw <c>Authorization</c> header (tests check that the key was sent, and only there).</param>
public sealed record LoopbackChatRequest(int Number, string Body, JsonElement Json, string? Authorization, DateTimeOffset ReceivedAt)
{
    /// <summary>The text of the last user message.</summary>
    public string LastUserMessage =>
        Json.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Where(x => x.GetProperty("role").GetString() == "user").Select(x => x.GetProperty("content").ToString()).LastOrDefault() ?? ""
            : "";
}

/// <summary>What the <see cref="LoopbackChatServer"/> does with one request.</summary>
public sealed record LoopbackChatReply
{
    public int Status { get; init; } = 200;
    /// <summary>Assistant message content for a 200 answer.</summary>
    public string Content { get; init; } = "";
    /// <summary>Raw body to send instead of a chat completion (errors, broken JSON).</summary>
    public string? RawBody { get; init; }
    /// <summary>Wait this long before answering (slow servers, timeouts, latency in benchmarks).</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Send the headers and half the body, then reset the connection.</summary>
    public bool CutConnection { get; init; }
    /// <summary>Value of the Retry-After header (seconds or an HTTP-date).</summary>
    public string? RetryAfter { get; init; }
    public int PromptTokens { get; init; } = 100;
    public int CompletionTokens { get; init; } = 50;

    public static LoopbackChatReply Ok(string content, TimeSpan delay = default) => new() { Content = content, Delay = delay };
    public static LoopbackChatReply Error(int status, string? retryAfter = null) =>
        new() { Status = status, RetryAfter = retryAfter, RawBody = "{\"error\":{\"message\":\"scripted " + status + "\",\"type\":\"server_error\"}}" };
    public static LoopbackChatReply Cut() => new() { CutConnection = true };
}

/// <summary>
/// A minimal OpenAI-compatible server on 127.0.0.1 (a random free port), speaking HTTP/1.1 over raw sockets so that it can
/// also misbehave: drop connections mid-answer, stall, answer 429/5xx. Serves <c>POST /v1/chat/completions</c> only.
/// Also answers Ollama's native <c>POST /api/chat</c>, for the OllamaSharp backend.
/// Used by the generation tests and by <c>hn bench generate</c>; not meant for anything else.
/// </summary>
public sealed class LoopbackChatServer : IAsyncDisposable
{
    readonly Func<LoopbackChatRequest, LoopbackChatReply> _script;
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentQueue<LoopbackChatRequest> _requests = new();
    readonly ConcurrentBag<Task> _connections = [];
    readonly Task _acceptLoop;
    int _hits;

    /// <param name="script">Decides the reply to each request; called concurrently.</param>
    public LoopbackChatServer(Func<LoopbackChatRequest, LoopbackChatReply> script)
    {
        _script = script;
        _listener.Start(backlog: 1024);
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The base address to give an OpenAI client, ending in <c>/v1</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1");

    /// <summary>How many chat-completion requests arrived (each one would have been paid for).</summary>
    public int Hits => Volatile.Read(ref _hits);

    public IReadOnlyList<LoopbackChatRequest> Requests => _requests.ToArray();

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            _connections.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        var stream = new NetworkStream(socket, ownsSocket: true);
        var buffer = new List<byte>(8192);
        var chunk = new byte[8192];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Read the head.
                int headEnd;
                while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
                {
                    var n = await stream.ReadAsync(chunk, _stop.Token);
                    if (n == 0) return;
                    buffer.AddRange(chunk.AsSpan(0, n));
                }
                var head = Encoding.ASCII.GetString(buffer.GetRange(0, headEnd).ToArray());
                buffer.RemoveRange(0, headEnd + 4);
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
                byte[] body;
                if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    body = await ReadChunkedAsync(stream, buffer, chunk);
                else
                {
                    var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
                    while (buffer.Count < length)
                    {
                        var n = await stream.ReadAsync(chunk, _stop.Token);
                        if (n == 0) return;
                        buffer.AddRange(chunk.AsSpan(0, n));
                    }
                    body = buffer.GetRange(0, length).ToArray();
                    buffer.RemoveRange(0, length);
                }
                var path = requestLine.Length >= 2 ? requestLine[1].TrimEnd('/') : "";
                var ollama = path.EndsWith("/api/chat", StringComparison.Ordinal);
                if (requestLine.Length < 2 || requestLine[0] != "POST" || !(ollama || path.EndsWith("/chat/completions", StringComparison.Ordinal)))
                {
                    await WriteAsync(stream, 404, """{"error":{"message":"not found"}}""", null);
                    continue;
                }
                var text = Encoding.UTF8.GetString(body);
                var request = new LoopbackChatRequest(Interlocked.Increment(ref _hits), text, JsonDocument.Parse(text).RootElement.Clone(),
                    headers.GetValueOrDefault("Authorization"), DateTimeOffset.UtcNow);
                _requests.Enqueue(request);
                var reply = _script(request);
                if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);
                if (reply.CutConnection)
                {
                    var partial = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"id\":\"chatcmpl-cut\",\"choi");
                    await stream.WriteAsync(partial, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    socket.LingerState = new LingerOption(true, 0); // RST, like a crashed server
                    return;
                }
                var payload = reply.RawBody ?? (ollama ? OllamaChat(request, reply) : Completion(request, reply));
                await WriteAsync(stream, reply.Status, payload, reply.RetryAfter, ollama && reply.RawBody is null ? "application/x-ndjson" : "application/json");
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (IOException) { }
        catch (SocketException) { }
        finally { await stream.DisposeAsync(); }
    }

    async Task<byte[]> ReadChunkedAsync(NetworkStream stream, List<byte> buffer, byte[] chunk)
    {
        var body = new List<byte>();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(buffer, "\r\n"u8)) < 0)
            {
                var n = await stream.ReadAsync(chunk, _stop.Token);
                if (n == 0) throw new IOException("connection closed inside a chunked body");
                buffer.AddRange(chunk.AsSpan(0, n));
            }
            var size = Convert.ToInt32(Encoding.ASCII.GetString(buffer.GetRange(0, lineEnd).ToArray()).Split(';')[0].Trim(), 16);
            buffer.RemoveRange(0, lineEnd + 2);
            while (buffer.Count < size + 2)
            {
                var n = await stream.ReadAsync(chunk, _stop.Token);
                if (n == 0) throw new IOException("connection closed inside a chunked body");
                buffer.AddRange(chunk.AsSpan(0, n));
            }
            body.AddRange(buffer.GetRange(0, size));
            buffer.RemoveRange(0, size + 2);
            if (size == 0) return [.. body];
        }
    }

    static string Completion(LoopbackChatRequest request, LoopbackChatReply reply)
    {
        var model = request.Json.TryGetProperty("model", out var m) ? m.GetString() : "loopback";
        var json = new JsonObject
        {
            ["id"] = $"chatcmpl-{request.Number}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = reply.PromptTokens,
                ["completion_tokens"] = reply.CompletionTokens,
                ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
            },
        };
        return json.ToJsonString();
    }

    /// <summary>Ollama's <c>/api/chat</c> answer: one JSON object, or NDJSON (content, then the final counts) when streaming was asked.</summary>
    static string OllamaChat(LoopbackChatRequest request, LoopbackChatReply reply)
    {
        var model = request.Json.TryGetProperty("model", out var m) ? m.GetString() : "loopback";
        var created = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        JsonObject Message(string content, bool done)
        {
            var o = new JsonObject
            {
                ["model"] = model,
                ["created_at"] = created,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["done"] = done,
            };
            if (done)
            {
                o["done_reason"] = "stop";
                o["total_duration"] = 1000;
                o["prompt_eval_count"] = reply.PromptTokens;
                o["eval_count"] = reply.CompletionTokens;
            }
            return o;
        }
        var streaming = !request.Json.TryGetProperty("stream", out var s) || s.ValueKind != JsonValueKind.False;
        return streaming
            ? Message(reply.Content, false).ToJsonString() + "\n" + Message("", true).ToJsonString() + "\n"
            : Message(reply.Content, true).ToJsonString();
    }

    async Task WriteAsync(NetworkStream stream, int status, string body, string? retryAfter, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n");
        if (retryAfter is not null) head.Append($"Retry-After: {retryAfter}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
        await stream.WriteAsync(bytes, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    static string Reason(int status) => status switch
    {
        200 => "OK", 400 => "Bad Request", 401 => "Unauthorized", 404 => "Not Found", 429 => "Too Many Requests",
        500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable", _ => "Status",
    };

    static int IndexOf(List<byte> haystack, ReadOnlySpan<byte> needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
            if (match) return i;
        }
        return -1;
    }

    /// <summary>Dies like a killed server: stops listening (new connections are refused) and drops every open connection.</summary>
    public void Crash()
    {
        _listener.Stop();
        _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _acceptLoop; } catch (OperationCanceledException) { }
        try { await Task.WhenAll(_connections.ToArray()); } catch (Exception) { }
        _stop.Dispose();
    }
}
