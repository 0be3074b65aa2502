using NetMQ;
using NetMQ.Sockets;

namespace HardNegatives.Kernel.Protocol;

/// <summary>
/// The kernel's ZeroMQ sockets, bound only to the connection file's address: shell, control and stdin (ROUTER), iopub
/// (PUB) and heartbeat (REP, echoes). One poller thread owns every socket (NetMQ sockets are not thread-safe): incoming
/// messages are verified there and handed to <see cref="Received"/>; <see cref="Send"/> may be called from any thread and
/// queues the frames for that thread. Rejected messages (bad signature, unsigned, malformed) are logged and dropped.
/// </summary>
public sealed class KernelSockets : IDisposable
{
    readonly WireFormat wire;
    readonly TextWriter log;
    readonly NetMQPoller poller;
    readonly NetMQQueue<(KernelChannel Channel, List<byte[]> Frames)> outbox = new();
    readonly Dictionary<KernelChannel, NetMQSocket> sockets;
    readonly ResponseSocket heartbeat = new();
    Thread? thread;

    /// <summary>A verified message arrived (called on the poller thread; keep it short).</summary>
    public event Action<KernelChannel, JupyterMessage>? Received;

    public KernelSockets(ConnectionInfo connection, WireFormat wire, TextWriter log)
    {
        this.wire = wire;
        this.log = log;
        sockets = new()
        {
            [KernelChannel.Shell] = new RouterSocket(),
            [KernelChannel.Control] = new RouterSocket(),
            [KernelChannel.Stdin] = new RouterSocket(),
            [KernelChannel.IoPub] = new PublisherSocket(),
        };
        var ports = new Dictionary<KernelChannel, int>
        {
            [KernelChannel.Shell] = connection.ShellPort, [KernelChannel.Control] = connection.ControlPort,
            [KernelChannel.Stdin] = connection.StdinPort, [KernelChannel.IoPub] = connection.IoPubPort,
        };
        foreach (var (channel, socket) in sockets)
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            Bind(socket, connection.Endpoint(ports[channel]), channel.ToString());
        }
        Bind(heartbeat, connection.Endpoint(connection.HeartbeatPort), "heartbeat");
        poller = [heartbeat, outbox];
        foreach (var (channel, socket) in sockets)
        {
            if (channel == KernelChannel.IoPub) continue;
            poller.Add(socket);
            socket.ReceiveReady += (_, e) => OnReceive(channel, e.Socket);
        }
        heartbeat.ReceiveReady += (_, e) =>
        {
            var ping = e.Socket.ReceiveMultipartMessage();
            e.Socket.SendMultipartMessage(ping);
        };
        outbox.ReceiveReady += (_, _) => SendQueued();
    }

    void SendQueued()
    {
        while (outbox.TryDequeue(out var item, TimeSpan.Zero)) sockets[item.Channel].SendMultipartBytes(item.Frames);
    }

    static void Bind(NetMQSocket socket, string endpoint, string name)
    {
        try
        {
            socket.Bind(endpoint);
        }
        catch (Exception e) when (e is NetMQException or System.Net.Sockets.SocketException)
        {
            throw new IOException($"cannot bind the {name} channel to {endpoint} ({e.Message}): is the port taken, or the address not this machine's?", e);
        }
    }

    /// <summary>Starts the poller thread.</summary>
    public void Start()
    {
        thread = new Thread(poller.Run) { IsBackground = true, Name = "jupyter-sockets" };
        thread.Start();
    }

    /// <summary>Queues <paramref name="message"/> (signed) on <paramref name="channel"/>; safe from any thread.</summary>
    public void Send(KernelChannel channel, JupyterMessage message) => outbox.Enqueue((channel, wire.Encode(message)));

    void OnReceive(KernelChannel channel, NetMQSocket socket)
    {
        while (true)
        {
            var frames = new List<byte[]>();
            if (!socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames)) break;
            var message = wire.Decode(frames, out var rejected);
            if (message is null)
            {
                log.WriteLine($"[hn kernel] dropped a message on {channel}: {rejected}");
                continue;
            }
            try
            {
                Received?.Invoke(channel, message);
            }
            catch (Exception e)
            {
                log.WriteLine($"[hn kernel] {channel} {message.MessageType} failed: {e}");
            }
        }
    }

    public void Dispose()
    {
        // Let queued replies (e.g. shutdown_reply) leave before the sockets close.
        if (poller.IsRunning)
        {
            using var drained = new ManualResetEventSlim();
            new Task(() => { SendQueued(); drained.Set(); }).Start(poller);
            drained.Wait(TimeSpan.FromSeconds(5));
            poller.Stop();
        }
        thread?.Join(TimeSpan.FromSeconds(5));
        poller.Dispose();
        outbox.Dispose();
        heartbeat.Dispose();
        foreach (var socket in sockets.Values) socket.Dispose();
    }
}
