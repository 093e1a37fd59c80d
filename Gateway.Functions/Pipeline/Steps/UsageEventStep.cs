using System.Text;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Publishing;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Routing;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// One usage event per authenticated request, whatever its outcome, handed to the non-blocking
/// publisher (never awaited). It carries the matched end user's row id, so ingest does not match again.
/// A request that took several upstream tries (a route, a failover) gets one event per try: the
/// failed ones (<see cref="ProxyContext.FailedAttempts"/>) and the answer's, sharing a correlation id.
/// Ids are UUIDv7 from <see cref="UsageEventIds"/> (no system call per id: this runs on the request's thread).
/// </summary>
internal sealed class UsageEventStep(IUsageEventPublisher publisher, TimeProvider time) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        if (context.Key is not { } key)
        {
            return StepResult.ContinueTask;
        }

        var http = context.Http;
        var headers = http.Request.Headers;
        var body = context.Body;
        var usage = context.Usage;
        var reported = usage.Usage;
        var status = context.Status;
        var path = context.Path;
        var correlationId = context.Route is not null || context.FailedAttempts.Count > 0 ? UsageEventIds.NewVersion7(context.CreatedAt).ToString() : null;
        var message = new UsageEventMessage
        {
            EventId = UsageEventIds.NewVersion7(context.CreatedAt).ToString(),
            CreatedAtUnixMs = context.CreatedAt.ToUnixTimeMilliseconds(),
            KeyId = key.KeyId,
            Tags = key.Tags,
            Provider = context.UpstreamName,
            SettingId = context.ProviderKey is null ? context.Setting?.Id : null, // a provider key's stand-in setting is no stored one
            Model = context.Attempt?.Model ?? context.Model ?? string.Empty,
            DeploymentId = context.Attempt?.DeploymentId ?? context.DeploymentId,
            Path = context.PublicPath,
            Method = http.Request.Method,
            Status = status,
            LatencyMs = (int)time.GetElapsedTime(context.StartedTimestamp).TotalMilliseconds,
            CustomId = NullIfEmpty(headers[GatewayHeaders.CustomEventId].ToString()),
            Metadata = NullIfEmpty(headers[GatewayHeaders.Metadata].ToString()),
            UserId = body?.User,
            EndUserId = context.EndUser?.Id,
            Streamed = context.Streamed,
            Cached = context.Cached,
            ClientDisconnected = context.ClientDisconnected,
            Usage = reported,
            CompletionText = reported is null ? usage.CompletionText : null,
            PromptText = reported is null && status is >= 200 and < 300 && body is not null ? (context.Attempt?.Adapter ?? context.Adapter).PromptText(body) : null,
            AudioSeconds = usage.AudioSeconds,
            SpeechCharacters = path.EndsWith("audio/speech", StringComparison.Ordinal) ? body?.InputLength : null,
            ImageCount = path.Contains("images/", StringComparison.Ordinal) ? body?.ImageCount ?? (body is null ? null : 1) : null,
            ImageSize = body?.ImageSize,
            ImageQuality = body?.ImageQuality,
            RequestBody = key.ShouldLogRequest ? body?.AsText() : null,
            ResponseBody = context.ResponseCopy is { Length: > 0 } copy ? Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length) : null,
            RouteId = context.Route?.Id,
            CorrelationId = correlationId,
            Action = context.Privacy?.EventAction,
            PolicyId = context.Privacy?.PolicyId,
            PiiEntities = context.Privacy?.EntitiesOrNull(),
        };
        foreach (var failed in context.FailedAttempts)
        {
            publisher.Publish(FailedAttemptEvent(message, failed, context.Model));
        }

        publisher.Publish(message);
        return StepResult.ContinueTask;
    }

    /// <summary>A failed try: the request's identity, the try's provider, model, status and latency, and no usage (nothing was generated).</summary>
    private static UsageEventMessage FailedAttemptEvent(UsageEventMessage answer, FailedAttempt failed, string? requestModel)
    {
        var attempt = failed.Attempt;
        return new UsageEventMessage
        {
            EventId = UsageEventIds.NewVersion7(failed.StartedAt).ToString(),
            CreatedAtUnixMs = failed.StartedAt.ToUnixTimeMilliseconds(),
            KeyId = answer.KeyId,
            Tags = answer.Tags,
            Provider = attempt.Adapter.Name,
            SettingId = attempt.Setting.Id,
            Model = attempt.Model ?? requestModel ?? string.Empty,
            DeploymentId = attempt.DeploymentId,
            Path = answer.Path,
            Method = answer.Method,
            Status = failed.Status,
            LatencyMs = failed.LatencyMs,
            CustomId = answer.CustomId,
            Metadata = answer.Metadata,
            UserId = answer.UserId,
            EndUserId = answer.EndUserId,
            RouteId = answer.RouteId,
            CorrelationId = answer.CorrelationId,
            Action = answer.Action,
            PolicyId = answer.PolicyId,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
