using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Kernel.Execution;

/// <summary>
/// <c>input_request</c> / <c>input_reply</c>: a cell's ReadLine sends the request and blocks until the reply arrives on
/// stdin, or the cell is interrupted. One request at a time (cells never overlap).
/// </summary>
sealed class StdinBroker(KernelOutbox outbox)
{
    TaskCompletionSource<string>? pending;

    public string ReadLine(JupyterMessage request, string prompt, bool password, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref pending, reply)?.TrySetCanceled();
        outbox.InputRequest(request, prompt, password);
        try
        {
            return reply.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            Interlocked.CompareExchange(ref pending, null, reply);
        }
    }

    /// <summary>An <c>input_reply</c> arrived (poller thread).</summary>
    public void Deliver(JupyterMessage reply)
    {
        var value = (string?)reply.Content["value"] ?? "";
        Interlocked.Exchange(ref pending, null)?.TrySetResult(value);
    }
}
