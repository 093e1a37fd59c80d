using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Routing;

/// <summary>
/// An upstream attempt that did not answer the request (a failure before its first byte, then
/// retried or failed over): it gets its own usage event, sharing the request's correlation id.
/// </summary>
/// <param name="Attempt">The attempt the try ran.</param>
/// <param name="Status">The upstream's status, or 502 (unreachable, dropped before the first byte) or 504 (no headers in time).</param>
/// <param name="LatencyMs">From sending to the failure.</param>
/// <param name="StartedAt">When the try was sent.</param>
internal sealed record FailedAttempt(UpstreamAttempt Attempt, int Status, int LatencyMs, DateTimeOffset StartedAt);
