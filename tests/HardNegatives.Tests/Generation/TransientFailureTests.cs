using System.Net;
using HardNegatives.Generation;

namespace HardNegatives.Tests.Generation;

public class TransientFailureTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_after_seconds_and_http_date()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), TransientFailure.ParseRetryAfter("7", Now));
        Assert.Equal(TimeSpan.FromSeconds(30), TransientFailure.ParseRetryAfter("Wed, 25 Nov 2026 12:00:30 GMT", Now));
        Assert.Equal(TimeSpan.Zero, TransientFailure.ParseRetryAfter("Wed, 25 Nov 2026 11:59:00 GMT", Now));
        Assert.Null(TransientFailure.ParseRetryAfter("soon", Now));
        Assert.Null(TransientFailure.ParseRetryAfter(null, Now));
    }

    [Fact]
    public void Classification_of_transport_errors()
    {
        Assert.Equal("connection", TransientFailure.Classify(new HttpRequestException("reset", new IOException("x")), Now)?.Kind);
        Assert.Equal("429", TransientFailure.Classify(new HttpRequestException("busy", null, HttpStatusCode.TooManyRequests), Now)?.Kind);
        Assert.Equal("5xx", TransientFailure.Classify(new HttpRequestException("oops", null, HttpStatusCode.BadGateway), Now)?.Kind);
        Assert.Null(TransientFailure.Classify(new HttpRequestException("bad", null, HttpStatusCode.BadRequest), Now));
        Assert.Null(TransientFailure.Classify(new InvalidOperationException("bug"), Now));
        Assert.Equal(401, TransientFailure.FatalStatus(new HttpRequestException("no", null, HttpStatusCode.Unauthorized)));
    }
}
