using System.Globalization;

namespace Gateway.Domain.Routing;

/// <summary>
/// The wait an upstream asks for: <c>retry-after-ms</c> (Azure OpenAI, milliseconds) when present,
/// else <c>Retry-After</c> as delta-seconds or an HTTP date (RFC 9110 §10.2.3).
/// </summary>
public static class RetryAfterHeader
{
    public static TimeSpan? Parse(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(Math.Min(ms, TimeSpan.MaxValue.TotalMilliseconds / 2));
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (long.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        }

        if (DateTimeOffset.TryParseExact(retryAfter.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
