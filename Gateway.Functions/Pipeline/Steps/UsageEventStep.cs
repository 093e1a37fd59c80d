using System.Text;
using Gateway.Domain.Usage;
using Gateway.Functions.Forwarding;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// One usage event per authenticated request, whatever its outcome, handed to the non-blocking
/// publisher (never awaited). It carries the matched end user's row id, so ingest does not match again.
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
        var message = new UsageEventMessage
        {
            EventId = Guid.CreateVersion7(context.CreatedAt).ToString(),
            CreatedAtUnixMs = context.CreatedAt.ToUnixTimeMilliseconds(),
            KeyId = key.KeyId,
            Tags = key.Tags,
            Provider = context.UpstreamName,
            SettingId = context.Setting?.Id,
            Model = context.Model ?? string.Empty,
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
            ClientDisconnected = context.ClientDisconnected,
            Usage = reported,
            CompletionText = reported is null ? usage.CompletionText : null,
            PromptText = reported is null && status is >= 200 and < 300 ? body?.PromptText() : null,
            AudioSeconds = usage.AudioSeconds,
            SpeechCharacters = path.EndsWith("audio/speech", StringComparison.Ordinal) ? body?.InputLength : null,
            ImageCount = path.Contains("images/", StringComparison.Ordinal) ? body?.ImageCount ?? (body is null ? null : 1) : null,
            ImageSize = body?.ImageSize,
            ImageQuality = body?.ImageQuality,
            RequestBody = key.ShouldLogRequest ? body?.AsText() : null,
            ResponseBody = context.ResponseCopy is { Length: > 0 } copy ? Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length) : null,
        };
        publisher.Publish(message);
        return StepResult.ContinueTask;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
