using System.Text.Json.Nodes;
using HardNegatives.Kernel.Engine;
using HardNegatives.Kernel.Execution;
using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Kernel;

/// <summary><c>execute_request</c>: execute_input, the cell's output, execute_result or error, the reply, and stop_on_error.</summary>
public sealed partial class KernelServer
{
    async Task ExecuteAsync(JupyterMessage request, CancellationToken cancellationToken)
    {
        var content = request.Content;
        var code = (string?)content["code"] ?? "";
        var silent = (bool?)content["silent"] ?? false;
        var storeHistory = !silent && ((bool?)content["store_history"] ?? true);
        var allowStdin = (bool?)content["allow_stdin"] ?? false;
        var stopOnError = (bool?)content["stop_on_error"] ?? true;
        if (storeHistory) executionCount++;
        var count = executionCount;
        if (!silent) outbox.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        using var cell = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        runningCell = cell;
        var output = new IoPubCellOutput(outbox, displays, stdin, request, silent, allowStdin, cell.Token);
        ExecutionOutcome outcome;
        CellContext.Enter(output);
        try
        {
            outcome = await engine.ExecuteAsync(code, output, cell.Token);
        }
        catch (Exception e)
        {
            // An engine must report failures as outcomes; a throw here is an engine bug, still shown to the user.
            outcome = ExecutionOutcome.Error(e.GetType().Name, e.Message, e.ToString().Split('\n'));
        }
        finally
        {
            CellContext.Leave();
            runningCell = null;
        }
        output.Close();

        switch (outcome)
        {
            case ExecutionOutcome.Succeeded success:
                // display(x) as a cell's last line returns the display's handle: shown once already, not again as a result.
                if (success.HasValue && !silent && success.Value is not Microsoft.DotNet.Interactive.Formatting.DisplayedValue)
                    outbox.Publish("execute_result", new JsonObject
                    {
                        ["execution_count"] = count, ["data"] = MimeBundle.ToJson(MimeBundle.Format(success.Value)), ["metadata"] = new JsonObject(),
                    }, request);
                Reply(request, new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["payload"] = new JsonArray(), ["user_expressions"] = new JsonObject() });
                break;
            case ExecutionOutcome.Failed failure:
                var error = new JsonObject
                {
                    ["ename"] = failure.Name, ["evalue"] = failure.Message, ["traceback"] = new JsonArray([.. failure.Traceback.Select(line => JsonValue.Create(line))]),
                };
                if (!silent) outbox.Publish("error", (JsonObject)error.DeepClone(), request);
                error["status"] = "error";
                error["execution_count"] = count;
                Reply(request, error);
                if (stopOnError) AbortQueuedExecutions();
                break;
        }
    }

    /// <summary>
    /// <c>stop_on_error</c>: the execute requests already waiting behind a failed cell (a "Run All" after the failure) are
    /// answered <c>aborted</c>, not run; other queued requests are served as usual.
    /// </summary>
    void AbortQueuedExecutions()
    {
        var keep = new List<JupyterMessage>();
        while (shellQueue.Reader.TryRead(out var queued))
        {
            if (queued.MessageType != "execute_request")
            {
                keep.Add(queued);
                continue;
            }
            outbox.Status("busy", queued);
            Reply(queued, new JsonObject { ["status"] = "aborted", ["execution_count"] = executionCount });
            outbox.Status("idle", queued);
        }
        foreach (var other in keep) shellQueue.Writer.TryWrite(other);
    }
}
