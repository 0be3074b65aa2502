using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HardNegatives.Generation;

/// <summary>A failure worth retrying (429, 5xx, timeout, dropped connection), with the server's Retry-After if it sent one.</summary>
public sealed record TransientFailure(string Kind, TimeSpan? RetryAfter)
{
    /// <summary>
    /// Classifies an exception from a chat call. Returns null for failures that retrying cannot fix (400, 401, 404, bad
    /// options): the caller records the item as failed. Walks inner exceptions, since SDKs wrap transport errors.
    /// </summary>
    public static TransientFailure? Classify(Exception error, DateTimeOffset now)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClientResultException cre:
                    if (cre.Status == 0) return new("connection", null);
                    if (IsTransientStatus(cre.Status))
                        return new(StatusKind(cre.Status), RetryAfterOf(cre.GetRawResponse(), now));
                    return null;
                case HttpRequestException hre when hre.StatusCode is { } code:
                    return IsTransientStatus((int)code) ? new(StatusKind((int)code), null) : null;
                case HttpRequestException:
                    return new("connection", null);
                case TimeoutException:
                case TaskCanceledException:
                    return new("timeout", null);
                case IOException:
                case SocketException:
                    return new("connection", null);
            }
        }
        return null;
    }

    /// <summary>The HTTP status of a failure that should stop the whole run (wrong key, wrong model or URL), else null.</summary>
    public static int? FatalStatus(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            var status = e switch { ClientResultException c => c.Status, HttpRequestException { StatusCode: { } s } => (int)s, _ => 0 };
            if (status is 401 or 403 or 404) return status;
        }
        return null;
    }

    static bool IsTransientStatus(int status) => status is 408 or 409 or 425 or 429 || status >= 500;

    static string StatusKind(int status) => status == 429 ? "429" : status >= 500 ? "5xx" : status.ToString(CultureInfo.InvariantCulture);

    static TimeSpan? RetryAfterOf(System.ClientModel.Primitives.PipelineResponse? response, DateTimeOffset now)
    {
        if (response is null) return null;
        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            return TimeSpan.FromMilliseconds(millis);
        return response.Headers.TryGetValue("Retry-After", out var value) ? ParseRetryAfter(value, now) : null;
    }

    /// <summary>Parses a Retry-After value: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Past dates give zero.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }
}
