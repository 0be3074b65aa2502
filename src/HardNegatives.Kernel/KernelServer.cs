using System.Text.Json.Nodes;
using System.Threading.Channels;
using HardNegatives.Interactive;
using HardNegatives.Interactive.Facade;
using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Execution;
using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Kernel;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) in front of one <see cref="IExecutionEngine"/>. Shell requests run one at a
/// time on a worker, in arrival order; control (interrupt, shutdown, kernel_info) is answered on the socket thread at once,
/// even while a cell runs. Every request is bracketed by <c>status: busy</c> and <c>status: idle</c> on iopub.
/// </summary>
public sealed partial class KernelServer : IAsyncDisposable
{
    readonly IExecutionEngine engine;
    readonly KernelSockets sockets;
    readonly KernelOutbox outbox;
    readonly StdinBroker stdin;
    readonly DisplayRegistry displays;
    readonly TextWriter log;
    readonly Channel<JupyterMessage> shellQueue = Channel.CreateUnbounded<JupyterMessage>(new UnboundedChannelOptions { SingleReader = true });
    readonly TaskCompletionSource<bool> shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    CancellationTokenSource? runningCell;
    int executionCount;

    public KernelServer(ConnectionInfo connection, IExecutionEngine engine, TextWriter log)
    {
        this.engine = engine;
        this.log = log;
        sockets = new KernelSockets(connection, new WireFormat(new MessageSigner(connection.Key)), log);
        outbox = new KernelOutbox(sockets, Guid.NewGuid().ToString());
        stdin = new StdinBroker(outbox);
        displays = new DisplayRegistry((value, request) => outbox.Publish("update_display_data", IoPubCellOutput.Bundle(value), request));
        sockets.Received += OnReceived;
    }

    /// <summary>Serves until a <c>shutdown_request</c>; returns its <c>restart</c> flag.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        KitFormatters.Register();
        HnDisplay.Show = value => CellContext.Current?.Display(value);
        sockets.Start();
        outbox.Status("starting", null);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var worker = Task.Run(() => ServeShellAsync(stop.Token), CancellationToken.None);
        using (cancellationToken.Register(() => shutdown.TrySetResult(false)))
        {
            var restart = await shutdown.Task;
            InterruptRunningCell();
            await stop.CancelAsync();
            try { await worker; } catch (OperationCanceledException) { }
            return restart;
        }
    }

    void OnReceived(KernelChannel channel, JupyterMessage message)
    {
        switch (channel)
        {
            case KernelChannel.Shell:
                shellQueue.Writer.TryWrite(message);
                break;
            case KernelChannel.Control:
                outbox.Status("busy", message);
                HandleControl(message);
                outbox.Status("idle", message);
                break;
            case KernelChannel.Stdin when message.MessageType == "input_reply":
                stdin.Deliver(message);
                break;
            default:
                log.WriteLine($"[hn kernel] ignored {message.MessageType} on {channel}");
                break;
        }
    }

    void HandleControl(JupyterMessage request)
    {
        switch (request.MessageType)
        {
            case "interrupt_request":
                InterruptRunningCell();
                outbox.Reply(KernelChannel.Control, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Shutdown(KernelChannel.Control, request);
                break;
            case "kernel_info_request":
                outbox.Reply(KernelChannel.Control, request, "kernel_info_reply", KernelInfo());
                break;
            default:
                log.WriteLine($"[hn kernel] unknown control request {request.MessageType}");
                break;
        }
    }

    void InterruptRunningCell()
    {
        try
        {
            Volatile.Read(ref runningCell)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The cell ended (and its token was disposed) as the interrupt arrived: nothing left to interrupt.
        }
    }

    void Shutdown(KernelChannel channel, JupyterMessage request)
    {
        var restart = (bool?)request.Content["restart"] ?? false;
        outbox.Reply(channel, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
        shutdown.TrySetResult(restart);
    }

    async Task ServeShellAsync(CancellationToken cancellationToken)
    {
        await foreach (var request in shellQueue.Reader.ReadAllAsync(cancellationToken))
        {
            outbox.Status("busy", request);
            try
            {
                await HandleShellAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.WriteLine($"[hn kernel] {request.MessageType} failed: {e}");
            }
            outbox.Status("idle", request);
        }
    }

    async Task HandleShellAsync(JupyterMessage request, CancellationToken cancellationToken)
    {
        var content = request.Content;
        var code = (string?)content["code"] ?? "";
        var cursor = (int?)content["cursor_pos"] ?? code.Length;
        switch (request.MessageType)
        {
            case "kernel_info_request":
                Reply(request, KernelInfo());
                break;
            case "execute_request":
                await ExecuteAsync(request, cancellationToken);
                break;
            case "is_complete_request":
                var completeness = engine.IsComplete(code);
                var isComplete = new JsonObject { ["status"] = completeness.Status };
                if (completeness.Status == "incomplete") isComplete["indent"] = completeness.Indent;
                Reply(request, isComplete);
                break;
            case "complete_request":
                var completion = await engine.CompleteAsync(code, cursor, cancellationToken);
                Reply(request, new JsonObject
                {
                    ["status"] = "ok", ["matches"] = new JsonArray([.. completion.Matches.Select(m => JsonValue.Create(m))]),
                    ["cursor_start"] = completion.CursorStart, ["cursor_end"] = completion.CursorEnd, ["metadata"] = new JsonObject(),
                });
                break;
            case "inspect_request":
                var text = await engine.InspectAsync(code, cursor, (int?)content["detail_level"] ?? 0, cancellationToken);
                Reply(request, new JsonObject
                {
                    ["status"] = "ok", ["found"] = text is not null,
                    ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text }, ["metadata"] = new JsonObject(),
                });
                break;
            case "comm_info_request":
                Reply(request, new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "history_request":
                Reply(request, new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                break;
            case "shutdown_request":
                Shutdown(KernelChannel.Shell, request);
                break;
            case "comm_open" or "comm_msg" or "comm_close":
                break; // no comms: the kernel has no widgets
            default:
                log.WriteLine($"[hn kernel] unknown shell request {request.MessageType}");
                break;
        }
    }

    void Reply(JupyterMessage request, JsonObject content) =>
        outbox.Reply(KernelChannel.Shell, request, request.MessageType.Replace("_request", "_reply", StringComparison.Ordinal), content);

    JsonObject KernelInfo()
    {
        var language = engine.Language;
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "hardnegatives",
            ["implementation_version"] = typeof(KernelServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            ["language_info"] = new JsonObject
            {
                ["name"] = language.Name, ["version"] = language.Version, ["mimetype"] = language.MimeType,
                ["file_extension"] = language.FileExtension, ["pygments_lexer"] = language.PygmentsLexer, ["codemirror_mode"] = language.CodeMirrorMode,
            },
            ["banner"] = $"HardNegatives kernel ({language.Name} {language.Version}): the kit is built in; display(x) shows a value with the kit's formatters.",
            ["help_links"] = new JsonArray(new JsonObject { ["text"] = ".NET documentation", ["url"] = "https://learn.microsoft.com/dotnet/" }),
            ["debugger"] = false,
        };
    }

    public async ValueTask DisposeAsync()
    {
        shutdown.TrySetResult(false);
        sockets.Dispose();
        displays.Dispose();
        await engine.DisposeAsync();
    }
}
