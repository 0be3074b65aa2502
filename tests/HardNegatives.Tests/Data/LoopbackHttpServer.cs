using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HardNegatives.Tests.Data;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (random port) whose failures the test controls: it can drop the
/// connection after some body bytes, or ignore Range headers. Every request's path and Range header is recorded.
/// </summary>
sealed class LoopbackHttpServer : IDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    int _drops;

    public LoopbackHttpServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUrl { get; }
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();
    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    /// <summary>The next <paramref name="responses"/> responses send headers and only <paramref name="bytes"/> body bytes, then close.</summary>
    public void DropAfter(int bytes, int responses) { DropBytes = bytes; _drops = responses; }
    public int DropBytes { get; private set; }
    public bool IgnoreRange { get; set; }
    public long BodyBytesSent;

    async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    async Task Serve(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = await ReadHead(stream);
            if (head is null) return;
            var lines = head.Split("\r\n");
            var path = Uri.UnescapeDataString(lines[0].Split(' ')[1].TrimStart('/'));
            var range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?["Range:".Length..].Trim();
            Requests.Enqueue((path, range));

            if (!Files.TryGetValue(path, out var body))
            {
                await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            long from = 0;
            string status = "200 OK", extra = "";
            if (range is not null && !IgnoreRange && range.StartsWith("bytes=") && range.EndsWith('-'))
            {
                from = long.Parse(range[6..^1]);
                if (from >= body.Length)
                {
                    await Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{body.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                status = "206 Partial Content";
                extra = $"Content-Range: bytes {from}-{body.Length - 1}/{body.Length}\r\n";
            }
            long length = body.Length - from;
            await Write(stream, $"HTTP/1.1 {status}\r\nContent-Type: application/zip\r\nAccept-Ranges: bytes\r\n{extra}Content-Length: {length}\r\nConnection: close\r\n\r\n");
            int send = (int)length;
            if (Interlocked.Decrement(ref _drops) >= 0) send = (int)Math.Min(length, DropBytes);
            await stream.WriteAsync(body.AsMemory((int)from, send));
            await stream.FlushAsync();
            Interlocked.Add(ref BodyBytesSent, send);
            client.Client.Shutdown(SocketShutdown.Send); // graceful close: the client gets every byte sent, then EOF
        }
    }

    static async Task<string?> ReadHead(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            int n = buffer.Count;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n')
                return Encoding.ASCII.GetString(buffer.ToArray());
        }
        return null;
    }

    static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
