using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace HardNegatives.Threading;

/// <summary>
/// One producer, several consumers, a bounded queue between them — and one rule for errors: the caller sees the
/// <em>first real</em> error (the producer's or a consumer's), never the <see cref="OperationCanceledException"/> that the
/// failure caused in the siblings it stopped; and a failing consumer stops the producer, so nobody blocks on a full queue.
/// </summary>
/// <remarks>
/// Why a helper: with <c>Task.Run(…, CancellationToken.None)</c> a sibling's cancellation also <em>faults</em> its task, so
/// <c>Task.WhenAll</c> (and any <c>IsFaulted</c> filter) may pick the cancellation instead of the cause, depending on timing.
/// Here each error is recorded at the moment it happens, before the siblings are cancelled, so the first one wins every time.
/// When the caller's token is cancelled (and nothing failed) the result is an <see cref="OperationCanceledException"/> for that token.
/// </remarks>
public static class BoundedHandOff
{
    /// <summary>Feeds <paramref name="items"/> (enumerated on the calling thread's task) to <paramref name="consumers"/>
    /// workers that each run <paramref name="consume"/>; at most <paramref name="capacity"/> items wait in between.</summary>
    public static async Task RunAsync<T>(IEnumerable<T> items, int consumers, int capacity, Action<T> consume,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(consume);
        ArgumentOutOfRangeException.ThrowIfLessThan(consumers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var errors = new FirstError();
        using var queue = new BlockingCollection<T>(capacity);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new Task[consumers];
        for (int w = 0; w < consumers; w++)
            workers[w] = Task.Run(() =>
            {
                try
                {
                    foreach (var item in queue.GetConsumingEnumerable(stop.Token)) consume(item);
                }
                catch (Exception e)
                {
                    if (!(e is OperationCanceledException && stop.IsCancellationRequested)) errors.Record(e);
                    stop.Cancel();
                }
            }, CancellationToken.None);
        try
        {
            foreach (var item in items)
            {
                if (stop.IsCancellationRequested) break;
                queue.Add(item, stop.Token);
            }
        }
        catch (Exception e)
        {
            if (!(e is OperationCanceledException && stop.IsCancellationRequested)) errors.Record(e);
            stop.Cancel();
        }
        finally
        {
            queue.CompleteAdding();
        }
        await Task.WhenAll(workers).ConfigureAwait(false); // workers never throw: their errors are in `errors`
        errors.ThrowIfAny();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Keeps the first exception recorded by any thread.</summary>
    sealed class FirstError
    {
        ExceptionDispatchInfo? _first;
        public void Record(Exception e) => Interlocked.CompareExchange(ref _first, ExceptionDispatchInfo.Capture(e), null);
        public void ThrowIfAny() => Volatile.Read(ref _first)?.Throw();
    }
}
