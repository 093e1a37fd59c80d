using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Providers;
using Gateway.Domain.Usage;
using Gateway.Domain.Users;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Serves one request of a provider endpoint.
/// </summary>
/// <remarks>
/// <code>
///  1 authenticate   gateway key from x-api-key | api-key | Authorization → in-memory config copy
///  2 authorize      revoked, ttl, allowedPaths, a setting of this provider, allowedModels
///  3 read body      JSON bodies whole (bounded) for model / stream / user; others stream through
///  4 limits         one Redis script: rate windows and spend, for the key and its end user
///  5 forward        credential injected, body sent; rotation moves to the next setting on 429
///  6 relay          status, headers, body streamed back; SSE event by event, tapped for usage
///  7 usage event    handed to the publisher, never awaited
/// </code>
/// </remarks>
internal sealed partial class ProxyHandler(
    IApiKeyStore keys,
    RedisLimiter limiter,
    IUsageEventPublisher publisher,
    UpstreamClient upstream,
    IProviderSecrets secrets,
    IOptions<ProxyOptions> options,
    IOptions<UpstreamOptions> upstreams,
    TimeProvider time,
    ILogger<ProxyHandler> logger)
{
    private const int MaxLoggedBodyBytes = 1 << 20;
    private readonly ConcurrentDictionary<string, int> _rotation = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context, ProviderApi api, string path, string? deploymentId)
    {
        var started = time.GetTimestamp();
        var createdAt = time.GetUtcNow();

        // 1 authenticate
        var rawKey = GatewayKeyReader.Read(context.Request.Headers);
        if (rawKey is null)
        {
            await ProxyError.WriteAsync(context, api.Style, 401, "api key is missing");
            return;
        }

        var (key, snapshot) = await keys.LookupAsync(ApiKeyHash.Compute(rawKey), context.RequestAborted);
        if (key is null)
        {
            await ProxyError.WriteAsync(context, api.Style, 401, "api key is not found");
            return;
        }

        var request = new ProxyRequest { Api = api, Path = path, DeploymentId = deploymentId, Key = key };
        var usage = new UsageRecorder();
        var status = 0;
        var streamed = false;
        var disconnected = false;
        var settingId = (string?)null;
        ResponseRelay.Result relayed = new();
        try
        {
            (status, settingId, streamed, disconnected) = await ServeAsync(context, request, snapshot, usage, relayed);
        }
        finally
        {
            Publish(context, request, createdAt, started, status, settingId, streamed, disconnected, usage, relayed);
            request.JsonBody?.Dispose();
        }
    }

    private async Task<(int Status, string? SettingId, bool Streamed, bool Disconnected)> ServeAsync(
        HttpContext context, ProxyRequest request, ConfigSnapshot snapshot, UsageRecorder usage, ResponseRelay.Result relayed)
    {
        var key = request.Key;
        var style = request.Api.Style;

        // 2 authorize
        if (key.Revoked)
        {
            return await FailAsync(context, style, 401, "api key has been revoked");
        }

        if (KeyExpiry.IsExpired(key, time.GetUtcNow()))
        {
            return await FailAsync(context, style, 401, "api key has expired");
        }

        var publicPath = context.Request.Path.Value ?? string.Empty;
        var allowedByKey = key.Limits.AllowedPaths.Count > 0 && AllowedPathMatcher.IsAllowed(key.Limits.AllowedPaths, context.Request.Method, publicPath);
        if (key.Limits.AllowedPaths.Count > 0 && !allowedByKey)
        {
            return await FailAsync(context, style, 403, "path is not allowed");
        }

        if (!allowedByKey && !request.Api.IsKnownPath(request.Path))
        {
            return await FailAsync(context, style, 404, $"path {publicPath} is not a known {request.Api.Name} endpoint");
        }

        request.Settings = [.. key.SettingIds.Select(id => snapshot.ProviderSettings.GetValueOrDefault(id)).OfType<ProviderSetting>().Where(s => s.Provider == request.Api.Name)];
        if (request.Settings.Count == 0)
        {
            return await FailAsync(context, style, 403, $"no {request.Api.Name} provider setting is attached to this key");
        }

        if (!TryReadGatewayHeaders(context, options.Value.Timeout, out var timeout, out var headerError))
        {
            return await FailAsync(context, style, 400, headerError!);
        }

        // 3 read body
        if (IsJson(context.Request) && HasBody(context.Request))
        {
            var (body, error) = await JsonRequestBody.ReadAsync(context.Request, options.Value.MaxJsonBodyBytes, context.RequestAborted);
            if (error == JsonRequestBody.ReadError.TooLarge)
            {
                return await FailAsync(context, style, 413, $"request body exceeds {options.Value.MaxJsonBodyBytes} bytes");
            }

            if (error == JsonRequestBody.ReadError.NotJson)
            {
                return await FailAsync(context, style, 400, "request body is not a JSON object");
            }

            request.JsonBody = body;
        }
        else if (context.Request.ContentLength > options.Value.MaxUploadBytes)
        {
            return await FailAsync(context, style, 413, $"request body exceeds {options.Value.MaxUploadBytes} bytes");
        }

        request.Model = request.JsonBody?.Model ?? request.DeploymentId;
        if (request.Model is not null && !request.Settings.Exists(s => s.AllowedModels.Count == 0))
        {
            request.Settings.RemoveAll(s => !s.AllowedModels.Contains(request.Model, StringComparer.Ordinal));
            if (request.Settings.Count == 0)
            {
                return await FailAsync(context, style, 403, "model is not allowed");
            }
        }

        // The end user's own restrictions, when an admin defined one for this key.
        var user = request.JsonBody?.User is { Length: > 0 } userId ? MatchUser(snapshot, key, userId) : null;
        if (user is not null)
        {
            if (user.Revoked)
            {
                return await FailAsync(context, style, 401, "user has been revoked");
            }

            if (KeyExpiry.IsExpired(user, time.GetUtcNow()))
            {
                return await FailAsync(context, style, 401, "user has expired");
            }

            if (user.Limits.AllowedPaths.Count > 0 && !AllowedPathMatcher.IsAllowed(user.Limits.AllowedPaths, context.Request.Method, publicPath))
            {
                return await FailAsync(context, style, 403, "path is not allowed for this user");
            }

            if (user.AllowedModels.Count > 0 && (request.Model is null || !user.AllowedModels.Contains(request.Model, StringComparer.Ordinal)))
            {
                return await FailAsync(context, style, 403, "model is not allowed for this user");
            }
        }

        // 4 limits
        LimitSubject[] subjects = user is null ? [LimitSubject.For(key)] : [LimitSubject.For(key), LimitSubject.For(user)];
        var decision = await limiter.CheckAsync(subjects, context.RequestAborted);
        switch (decision.Outcome)
        {
            case LimitOutcome.RateLimited:
            case LimitOutcome.SpendLimited:
                return await FailAsync(context, style, 429, decision.Detail ?? "too many requests", decision.RetryAfter);
            case LimitOutcome.Unavailable:
                return await FailAsync(context, style, 503, decision.Detail ?? "limits cannot be checked right now", decision.RetryAfter);
            default:
                break;
        }

        // 5 forward, 6 relay
        if (request.JsonBody is { Stream: true } streaming && style == ApiStyle.OpenAI && SupportsUsageChunk(request, context))
        {
            streaming.RequestUsageChunk();
        }

        return await ForwardAsync(context, request, timeout, usage, relayed);
    }

    private async Task<(int, string?, bool, bool)> ForwardAsync(HttpContext context, ProxyRequest request, TimeSpan timeout, UsageRecorder usage, ResponseRelay.Result relayed)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeoutSource.Token);
        var style = request.Api.Style;
        var candidates = OrderSettings(request);
        var replayable = request.JsonBody is not null || !HasBody(context.Request);
        HttpResponseMessage? response = null;
        ProviderSetting? used = null;
        try
        {
            for (var attempt = 0; attempt < candidates.Count; attempt++)
            {
                used = candidates[attempt];
                using var message = BuildUpstreamRequest(context, request, used);
                if (message is null)
                {
                    return await FailAsync(context, style, 500, $"provider setting {used.Id} is missing a required parameter", settingId: used.Id);
                }

                response?.Dispose();
                response = await upstream.Invoker.SendAsync(message, linked.Token);

                // Rotation: an upstream 429 on one provider key is retried on the next one.
                var canRetry = request.Key.RotationEnabled && replayable && attempt + 1 < candidates.Count;
                if (response.StatusCode != HttpStatusCode.TooManyRequests || !canRetry)
                {
                    break;
                }

                LogRotated(logger, used.Id);
            }

            var result = await RelayAsync(context, request, response!, usage, relayed, linked.Token);
            return (result.Status, used?.Id, result.Streamed, false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left: the upstream call was cancelled with it (unfinished calls cost money).
            LogClientGone(logger, context.Request.Path);
            return (499, used?.Id, response?.Content.Headers.ContentType?.MediaType == "text/event-stream", true);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            LogUpstreamTimeout(logger, request.Api.Name, timeout);
            return await FailAsync(context, style, 504, $"upstream did not answer within {timeout.TotalSeconds:0.###} s", settingId: used?.Id);
        }
        catch (HttpRequestException ex)
        {
            LogUpstreamUnreachable(logger, request.Api.Name, ex);
            return await FailAsync(context, style, 502, $"upstream {request.Api.Name} is unreachable", settingId: used?.Id);
        }
        catch (IOException ex) when (!context.Response.HasStarted)
        {
            LogUpstreamDropped(logger, request.Api.Name, ex);
            return await FailAsync(context, style, 502, $"upstream {request.Api.Name} closed the connection", settingId: used?.Id);
        }
        catch (IOException ex)
        {
            // The upstream dropped mid-body: the response has started, so cut the client's connection too.
            LogUpstreamDropped(logger, request.Api.Name, ex);
            context.Abort();
            return (502, used?.Id, true, false);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private static async Task<(int Status, bool Streamed)> RelayAsync(HttpContext context, ProxyRequest request, HttpResponseMessage response, UsageRecorder usage, ResponseRelay.Result relayed, CancellationToken cancellationToken)
    {
        var client = context.Response;
        client.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers)
        {
            if (HeaderRules.ForwardResponseHeader(header.Key))
            {
                client.Headers[header.Key] = header.Value.ToArray();
            }
        }

        foreach (var header in response.Content.Headers)
        {
            if (HeaderRules.ForwardResponseHeader(header.Key))
            {
                client.Headers[header.Key] = header.Value.ToArray();
            }
        }

        if (request.Key.ShouldLogResponse)
        {
            relayed.Copy = new MemoryStream();
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (mediaType == "text/event-stream")
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var hide = request.Api.Style == ApiStyle.OpenAI && request.JsonBody is { Stream: true, ClientAskedForUsage: false };
            if (hide)
            {
                client.Headers.ContentLength = null;
            }

            await client.StartAsync(cancellationToken);
            await ResponseRelay.CopyEventsAsync(body, client, hide, usage, relayed, MaxLoggedBodyBytes, cancellationToken);
            return ((int)response.StatusCode, true);
        }

        var tap = mediaType is not null && mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) ? new JsonUsageTap() : null;
        await ResponseRelay.CopyAsync(body, client.Body, tap, usage, relayed, MaxLoggedBodyBytes, cancellationToken);
        return ((int)response.StatusCode, false);
    }

    private HttpRequestMessage? BuildUpstreamRequest(HttpContext context, ProxyRequest request, ProviderSetting setting)
    {
        var baseUrl = UpstreamBaseUrl(request, setting);
        if (baseUrl is null)
        {
            return null;
        }

        var path = request.Api == ProviderApi.DeepInfra && request.Path.StartsWith("v1/", StringComparison.Ordinal) ? request.Path[3..] : request.Path;
        if (request.Api == ProviderApi.Azure)
        {
            path = $"openai/deployments/{Uri.EscapeDataString(request.DeploymentId!)}/{path}";
        }

        var uri = new Uri(baseUrl.TrimEnd('/') + "/" + path + context.Request.QueryString.Value);
        var message = new HttpRequestMessage(new HttpMethod(context.Request.Method), uri) { Version = HttpVersion.Version11 };
        if (request.JsonBody is { } json)
        {
            message.Content = new ReadOnlyMemoryContent(json.Bytes);
        }
        else if (HasBody(context.Request))
        {
            message.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentLength is { } length)
            {
                message.Content.Headers.ContentLength = length;
            }
        }

        foreach (var header in context.Request.Headers)
        {
            if (!HeaderRules.ForwardRequestHeader(header.Key))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        var credential = secrets.Get(setting).GetValueOrDefault("apikey");
        switch (request.Api.Name)
        {
            case "azure":
                message.Headers.TryAddWithoutValidation("api-key", credential);
                break;
            case "anthropic":
                message.Headers.TryAddWithoutValidation("x-api-key", credential);
                break;
            default:
                if (!string.IsNullOrEmpty(credential))
                {
                    message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
                }

                break;
        }

        return message;
    }

    private string? UpstreamBaseUrl(ProxyRequest request, ProviderSetting setting)
    {
        if (setting.Parameters.TryGetValue("baseUrl", out var overridden) && !string.IsNullOrWhiteSpace(overridden))
        {
            return overridden;
        }

        var endpoints = upstreams.Value;
        return request.Api.Name switch
        {
            "openai" => endpoints.OpenAI.BaseUrl,
            "anthropic" => endpoints.Anthropic.BaseUrl,
            "deepinfra" => endpoints.DeepInfra.BaseUrl,
            "vllm" => setting.Parameters.GetValueOrDefault("url"),
            "azure" => setting.Parameters.TryGetValue("resourceName", out var resource) && !string.IsNullOrWhiteSpace(resource)
                ? endpoints.Azure.BaseUrl.Replace("{resourceName}", resource, StringComparison.Ordinal)
                : null,
            _ => null,
        };
    }

    private List<ProviderSetting> OrderSettings(ProxyRequest request)
    {
        var settings = request.Settings;
        if (!request.Key.RotationEnabled || settings.Count == 1)
        {
            return [settings[0]];
        }

        // Round robin per key, starting one further on each request.
        var start = _rotation.AddOrUpdate(request.Key.KeyId, 0, static (_, previous) => previous + 1) % settings.Count;
        return [.. settings.Skip(start), .. settings.Take(start)];
    }

    // Azure accepts stream_options only from api-version 2024-09-01; older versions reject unknown fields.
    private static bool SupportsUsageChunk(ProxyRequest request, HttpContext context)
    {
        if (!(request.Path.EndsWith("chat/completions", StringComparison.Ordinal) || request.Path.EndsWith("/completions", StringComparison.Ordinal) || request.Path == "completions"))
        {
            return false;
        }

        if (request.Api != ProviderApi.Azure)
        {
            return true;
        }

        var version = context.Request.Query["api-version"].ToString();
        return string.CompareOrdinal(version, "2024-09-01") >= 0;
    }

    private static bool TryReadGatewayHeaders(HttpContext context, TimeSpan defaultTimeout, out TimeSpan timeout, out string? error)
    {
        error = null;
        timeout = defaultTimeout;
        var requested = context.Request.Headers[GatewayHeaders.RequestTimeout].ToString();
        if (requested.Length > 0)
        {
            if (!GoDuration.TryParse(requested, out var parsed) || parsed <= TimeSpan.Zero)
            {
                error = $"{GatewayHeaders.RequestTimeout} must be a duration such as 30s or 2m; got '{requested}'";
                return false;
            }

            timeout = parsed;
        }

        var metadata = context.Request.Headers[GatewayHeaders.Metadata].ToString();
        if (metadata.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(metadata);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = $"{GatewayHeaders.Metadata} must be a JSON object";
                    return false;
                }
            }
            catch (JsonException)
            {
                error = $"{GatewayHeaders.Metadata} must be a JSON object";
                return false;
            }
        }

        return true;
    }

    // BricksLLM matches an end user to users whose tags contain all of the key's tags; a user
    // that names the key in its keyIds is preferred.
    private static User? MatchUser(ConfigSnapshot snapshot, ApiKey key, string userId)
    {
        if (!snapshot.UsersByUserId.TryGetValue(userId, out var users))
        {
            return null;
        }

        return users.FirstOrDefault(u => u.KeyIds.Contains(key.KeyId, StringComparer.Ordinal))
            ?? users.FirstOrDefault(u => key.Tags.TrueForAll(t => u.Tags.Contains(t, StringComparer.Ordinal)));
    }

    private static bool IsJson(HttpRequest request)
        => request.ContentType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static bool HasBody(HttpRequest request)
        => request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static async Task<(int, string?, bool, bool)> FailAsync(HttpContext context, ApiStyle style, int status, string message, TimeSpan? retryAfter = null, string? settingId = null)
    {
        await ProxyError.WriteAsync(context, style, status, message, retryAfter);
        return (status, settingId, false, false);
    }

    private void Publish(HttpContext context, ProxyRequest request, DateTimeOffset createdAt, long started, int status, string? settingId, bool streamed, bool disconnected, UsageRecorder usage, ResponseRelay.Result relayed)
    {
        var reported = usage.Usage;
        var message = new UsageEventMessage
        {
            EventId = Guid.CreateVersion7(createdAt).ToString(),
            CreatedAtUnixMs = createdAt.ToUnixTimeMilliseconds(),
            KeyId = request.Key.KeyId,
            Tags = request.Key.Tags,
            Provider = request.Api.Name,
            SettingId = settingId,
            Model = request.Model ?? string.Empty,
            DeploymentId = request.DeploymentId,
            Path = context.Request.Path.Value ?? string.Empty,
            Method = context.Request.Method,
            Status = status,
            LatencyMs = (int)time.GetElapsedTime(started).TotalMilliseconds,
            CustomId = NullIfEmpty(context.Request.Headers[GatewayHeaders.CustomEventId].ToString()),
            Metadata = NullIfEmpty(context.Request.Headers[GatewayHeaders.Metadata].ToString()),
            UserId = request.JsonBody?.User,
            Streamed = streamed,
            ClientDisconnected = disconnected,
            Usage = reported,
            CompletionText = reported is null ? usage.CompletionText : null,
            PromptText = reported is null && status is >= 200 and < 300 ? request.JsonBody?.PromptText() : null,
            AudioSeconds = usage.AudioSeconds,
            SpeechCharacters = request.Path.EndsWith("audio/speech", StringComparison.Ordinal) ? request.JsonBody?.InputLength : null,
            ImageCount = request.Path.Contains("images/", StringComparison.Ordinal) ? request.JsonBody?.ImageCount ?? (request.JsonBody is null ? null : 1) : null,
            ImageSize = request.JsonBody?.ImageSize,
            ImageQuality = request.JsonBody?.ImageQuality,
            RequestBody = request.Key.ShouldLogRequest ? request.JsonBody?.AsText() : null,
            ResponseBody = relayed.Copy is { Length: > 0 } copy ? Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length) : null,
        };
        publisher.Publish(message);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [LoggerMessage(4000, LogLevel.Information, "Upstream answered 429 on setting {SettingId}; rotating to the next setting")]
    private static partial void LogRotated(ILogger logger, string settingId);

    [LoggerMessage(4001, LogLevel.Debug, "Client disconnected from {Path}; upstream request cancelled")]
    private static partial void LogClientGone(ILogger logger, string path);

    [LoggerMessage(4002, LogLevel.Warning, "Upstream {Provider} did not answer within {Timeout}")]
    private static partial void LogUpstreamTimeout(ILogger logger, string provider, TimeSpan timeout);

    [LoggerMessage(4003, LogLevel.Warning, "Upstream {Provider} is unreachable")]
    private static partial void LogUpstreamUnreachable(ILogger logger, string provider, Exception exception);

    [LoggerMessage(4004, LogLevel.Warning, "Upstream {Provider} dropped the connection mid-response")]
    private static partial void LogUpstreamDropped(ILogger logger, string provider, Exception exception);
}
