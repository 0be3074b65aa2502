namespace HardNegatives.Generation;

/// <summary>A snapshot of a running generation, reported after every item.</summary>
/// <param name="Total">Items (query, positive pairs) in the run.</param>
/// <param name="Completed">Items finished so far (done or failed), those from the cache included.</param>
/// <param name="FromCache">Items already done in an earlier run (not requested again).</param>
public sealed record GenerationProgress(int Total, int Completed, int FromCache, int Failed, int Requests, int NegativesKept);

/// <summary>What a run did, for the summary table.</summary>
/// <param name="Items">Items in the run.</param>
/// <param name="FromCache">Items done in an earlier run and not requested again.</param>
/// <param name="Generated">Items finished by this run.</param>
/// <param name="Failed">Items that failed after all retries (requested again on the next run); see <see cref="Failures"/>.</param>
/// <param name="Short">Done items with fewer negatives than asked for.</param>
/// <param name="Requests">HTTP requests this run sent, retries included.</param>
/// <param name="Candidates">Passages parsed from the answers of all items (cached ones included).</param>
/// <param name="Kept">Passages that passed every filter.</param>
/// <param name="Rejections">Rejected passages by reason, plus <c>Unparseable</c> answers (all items).</param>
/// <param name="Retries">Transient failures retried in this run, by kind.</param>
public sealed record GenerationSummary(
    int Items,
    int FromCache,
    int Generated,
    int Failed,
    int Short,
    int Requests,
    int Candidates,
    int Kept,
    IReadOnlyDictionary<string, int> Rejections,
    IReadOnlyDictionary<string, int> Retries,
    long InputTokens,
    long OutputTokens,
    TimeSpan Elapsed,
    IReadOnlyList<GenerationFailure> Failures)
{
    /// <summary>Set when the run stopped early because every endpoint died (<see cref="GenerationOptions.StopAfterConnectionFailures"/>): the URL and the most common cause.</summary>
    public string? StoppedEarly { get; init; }

    /// <summary>Items this run did not finish because it stopped early (asked for on the next run).</summary>
    public int NotAttempted { get; init; }

    /// <summary>False when items failed or the run stopped early: the triples are incomplete and a rerun asks for the rest.</summary>
    public bool Complete => Failed == 0 && StoppedEarly is null;

    /// <summary>The error shared by most failed items and how many had it (null when none failed).</summary>
    public (string Cause, int Count)? MostCommonCause => Failures.Count == 0 ? null
        : Failures.GroupBy(f => f.Error, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count())).First();

    /// <summary>One line for a run with failed items: how many, and the most common cause.</summary>
    public string FailureLine => StoppedEarly is { } stop
        ? $"{Items - NotAttempted - Failed} of {Items} items done, {Failed} failed, {NotAttempted} not attempted; {stop}"
        : MostCommonCause is not { } c ? "" :
        $"{Failed} of {Items} items failed (most common cause, {c.Count} of {Failures.Count}: {c.Cause}); run again to retry only those";
}

/// <summary>An item that could not be generated, with the last error (never containing credentials).</summary>
public sealed record GenerationFailure(string QueryId, string PositiveId, string Error);
