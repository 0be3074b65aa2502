using System.Net;
using HardNegatives.Generation;
using Microsoft.Extensions.AI;

namespace HardNegatives.Tests.Generation;

public class EndpointPoolChatClientTests
{
    sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Answers with its own name once released; or always fails with <see cref="Status"/>.</summary>
    sealed class ScriptedClient(string name) : IChatClient
    {
        public HttpStatusCode? Status;
        public TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            if (Status is { } s) throw new HttpRequestException($"{name} failed", null, s);
            await Release.Task.WaitAsync(cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, name));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    [Fact]
    public async Task Requests_go_to_the_least_busy_endpoint()
    {
        var a = new ScriptedClient("a");
        var b = new ScriptedClient("b");
        using var pool = new EndpointPoolChatClient([new ChatEndpoint("a", a), new ChatEndpoint("b", b)]);
        var first = pool.GetResponseAsync("x");
        var second = pool.GetResponseAsync("x"); // a is busy: goes to b
        Assert.Equal((1, 1), (a.Calls, b.Calls));
        b.Release.SetResult();
        Assert.Equal("b", (await second).Text);
        Assert.Equal("b", (await second).AdditionalProperties![EndpointPoolChatClient.EndpointKey]);
        var third = pool.GetResponseAsync("x"); // a still busy, b idle
        Assert.Equal((1, 2), (a.Calls, b.Calls));
        a.Release.SetResult();
        await Task.WhenAll(first, third);
    }

    [Fact]
    public async Task A_failing_endpoint_is_benched_for_the_quarantine_then_tried_again()
    {
        var time = new ManualTime();
        var bad = new ScriptedClient("bad") { Status = HttpStatusCode.ServiceUnavailable };
        var good = new ScriptedClient("good");
        good.Release.SetResult();
        using var pool = new EndpointPoolChatClient([new ChatEndpoint("bad", bad), new ChatEndpoint("good", good)], TimeSpan.FromSeconds(5), time);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => pool.GetResponseAsync("x")); // round-robin starts at "bad"
        Assert.Equal("bad", e.Data[EndpointPoolChatClient.EndpointKey]);
        Assert.True(pool.HasHealthyEndpoint);
        for (var i = 0; i < 5; i++) Assert.Equal("good", (await pool.GetResponseAsync("x")).Text);
        Assert.Equal(1, bad.Calls);

        time.Now += TimeSpan.FromSeconds(5);
        bad.Status = null;
        bad.Release.SetResult();
        var texts = new[] { (await pool.GetResponseAsync("x")).Text, (await pool.GetResponseAsync("x")).Text };
        Assert.Contains("bad", texts);
    }

    [Fact]
    public async Task When_every_endpoint_is_benched_the_one_back_first_is_used()
    {
        var time = new ManualTime();
        var a = new ScriptedClient("a") { Status = HttpStatusCode.TooManyRequests };
        var b = new ScriptedClient("b") { Status = HttpStatusCode.BadGateway };
        using var pool = new EndpointPoolChatClient([new ChatEndpoint("a", a), new ChatEndpoint("b", b)], TimeSpan.FromSeconds(5), time);
        await Assert.ThrowsAsync<HttpRequestException>(() => pool.GetResponseAsync("x"));
        time.Now += TimeSpan.FromSeconds(1);
        await Assert.ThrowsAsync<HttpRequestException>(() => pool.GetResponseAsync("x"));
        Assert.False(pool.HasHealthyEndpoint);
        Assert.Equal((1, 1), (a.Calls, b.Calls));
        await Assert.ThrowsAsync<HttpRequestException>(() => pool.GetResponseAsync("x")); // a comes back 1 s before b
        Assert.Equal((2, 1), (a.Calls, b.Calls));
    }
}
