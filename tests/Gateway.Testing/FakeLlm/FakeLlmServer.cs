using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// A fake OpenAI, Azure OpenAI and Anthropic on real Kestrel at <c>127.0.0.1:0</c>, speaking their
/// JSON and SSE wire formats, recording every request and injecting faults a real service won't on
/// demand (see <see cref="Behavior"/>). Point the gateway's upstream base URLs at <see cref="BaseUrl"/>.
/// </summary>
/// <remarks>
/// Every request goes through the same steps before its endpoint:
/// <code>
/// 1. record (method, path, query, headers, body bytes)
/// 2. wait Behavior.FirstByteDelay
/// 3. authenticate as the provider the path belongs to -> 401/400 in that provider's shape
/// 4. take the next fault: status -> error body; reset -> abort; drop -> armed for the endpoint
/// 5. endpoint (or the echo fallback), then record the outcome (completed, client gone, dropped)
/// </code>
/// Routes, at the providers' own paths:
/// OpenAI <c>POST /v1/chat/completions</c>, <c>/v1/completions</c>, <c>/v1/embeddings</c>, <c>/v1/files</c>
/// (multipart), <c>/v1/audio/speech</c>, <c>GET /v1/models</c>, <c>/v1/models/{id}</c>;
/// Azure <c>POST /openai/deployments/{id}/chat/completions|completions|embeddings?api-version=</c>;
/// Anthropic <c>POST /v1/messages</c>, <c>/v1/messages/count_tokens</c>, <c>/v1/complete</c> and
/// <c>GET /v1/models</c> when called with <c>x-api-key</c>; Bedrock <c>POST /model/{id}/invoke</c> and
/// <c>/invoke-with-response-stream</c> (SigV4-signed; <c>FakeLlmServer.Bedrock.cs</c>). Any other path and method answers 200
/// <c>{"object":"echo","method","path","query","body_bytes"}</c>.
/// </remarks>
public sealed partial class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestRecorder _recorder = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time = TimeProvider.System;
    private int _disposed;

    private FakeLlmServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:12345/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Content, credentials and fault switches; see <see cref="FakeLlmBehavior"/>.</summary>
    public FakeLlmBehavior Behavior { get; } = new();

    /// <summary>Every request received so far, in arrival order (a copy).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _recorder.Snapshot();

    public RecordedRequest? LastRequest => _recorder.Last;

    /// <summary>How many requests ended because the client disconnected mid-response.</summary>
    public int CancelledRequestCount => _recorder.CancelledCount;

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeLlmServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(static kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(static host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        var server = new FakeLlmServer(app);
        server.MapEndpoints(app);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>
    /// Completes with the first request (already received or still to come) matching
    /// <paramref name="predicate"/>; the predicate is checked again whenever a request's
    /// <see cref="RecordedRequest.Outcome"/> changes. Throws <see cref="TimeoutException"/>.
    /// </summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout)
        => _recorder.WaitAsync(predicate, timeout);

    /// <summary>Waits for the <paramref name="sequence"/>-th request (1-based) to arrive.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(int sequence, TimeSpan timeout)
        => _recorder.WaitAsync(r => r.Sequence == sequence, timeout);

    /// <summary>Waits for a request whose client disconnected before the response was complete.</summary>
    public Task<RecordedRequest> WaitForCancelledRequestAsync(TimeSpan timeout)
        => _recorder.WaitAsync(static r => r.WasCancelled, timeout);

    /// <summary>Forget recorded requests (sequence numbers keep counting).</summary>
    public void ClearRequests() => _recorder.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Unblock streams waiting on a delay so shutdown doesn't wait for them.
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private void MapEndpoints(WebApplication app)
    {
        app.Use(RunPipelineAsync);

        app.MapPost("/v1/chat/completions", HandleChatCompletionsAsync);
        app.MapPost("/v1/completions", HandleCompletionsAsync);
        app.MapPost("/v1/embeddings", HandleEmbeddingsAsync);
        app.MapGet("/v1/models", HandleModelsAsync);
        app.MapGet("/v1/models/{id}", HandleModelAsync);
        app.MapPost("/v1/files", HandleFileUploadAsync);
        app.MapPost("/v1/audio/speech", HandleSpeechAsync);

        app.MapPost("/openai/deployments/{deployment}/chat/completions", HandleChatCompletionsAsync);
        app.MapPost("/openai/deployments/{deployment}/completions", HandleCompletionsAsync);
        app.MapPost("/openai/deployments/{deployment}/embeddings", HandleEmbeddingsAsync);

        app.MapPost("/v1/messages", HandleMessagesAsync);
        app.MapPost("/v1/messages/count_tokens", HandleCountTokensAsync);
        app.MapPost("/v1/complete", HandleAnthropicCompleteAsync);

        MapBedrockEndpoints(app);

        app.MapFallback("{**path}", HandleEchoAsync);
    }

    private async Task RunPipelineAsync(HttpContext context, RequestDelegate next)
    {
        // 1. Record.
        var recorded = await RecordAsync(context);
        var provider = Classify(context.Request);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var exchange = new FakeLlmExchange(
            context, recorded, provider, Behavior.Snapshot(), _time.GetUtcNow().ToUnixTimeSeconds(), aborted.Token);
        context.Features.Set(exchange);
        SetRequestIdHeaders(exchange);

        var outcome = FakeLlmRequestOutcome.HandlerFailed;
        try
        {
            // 2. Slow first byte.
            if (exchange.Settings.FirstByteDelay > TimeSpan.Zero)
            {
                await Task.Delay(exchange.Settings.FirstByteDelay, _time, exchange.Aborted);
            }

            // 3. Authenticate.
            if (!await AuthenticateAsync(exchange) || (provider == FakeLlmProvider.Bedrock && !await AuthenticateBedrockAsync(exchange)))
            {
                outcome = FakeLlmRequestOutcome.Completed;
                return;
            }

            // 4. Faults.
            switch (Behavior.TakeFault())
            {
                case { Kind: FakeLlmFaultKind.Status } fault:
                    await FakeLlmResponses.WriteFaultAsync(exchange, fault);
                    outcome = FakeLlmRequestOutcome.Completed;
                    return;
                case { Kind: FakeLlmFaultKind.ResetConnection }:
                    throw await exchange.DropAsync();
                case { Kind: FakeLlmFaultKind.DropStream } fault:
                    exchange.DropFault = fault;
                    break;
            }

            // 5. Endpoint.
            await next(context);
            outcome = context.RequestAborted.IsCancellationRequested
                ? FakeLlmRequestOutcome.ClientDisconnected
                : FakeLlmRequestOutcome.Completed;
        }
        catch (Exception) when (exchange.Dropped)
        {
            outcome = FakeLlmRequestOutcome.DroppedByFault;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = FakeLlmRequestOutcome.ClientDisconnected;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            outcome = FakeLlmRequestOutcome.ServerStopped;
            context.Abort();
        }
        finally
        {
            _recorder.Complete(recorded, outcome);
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        // Endpoints read the body again (JSON, multipart form).
        request.Body = new MemoryStream(body, writable: false);

        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = [.. values.Select(static v => v ?? string.Empty)];
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var rawPath = rawTarget is null ? request.Path.Value ?? "/" : rawTarget.Split('?', 2)[0];
        return _recorder.Add(sequence => new RecordedRequest(
            sequence,
            request.Method,
            rawPath,
            request.QueryString.Value ?? string.Empty,
            headers,
            body,
            _time.GetUtcNow()));
    }

    private static void SetRequestIdHeaders(FakeLlmExchange exchange)
    {
        var headers = exchange.Context.Response.Headers;
        switch (exchange.Provider)
        {
            case FakeLlmProvider.Anthropic:
                headers["request-id"] = exchange.RequestId;
                break;
            case FakeLlmProvider.Azure:
                headers["apim-request-id"] = exchange.RequestId;
                headers["x-request-id"] = exchange.RequestId;
                break;
            case FakeLlmProvider.Bedrock:
                SetBedrockRequestId(exchange);
                break;
            case FakeLlmProvider.OpenAi:
                headers["x-request-id"] = exchange.RequestId;
                headers["openai-version"] = "2020-10-01";
                break;
        }
    }

    private static FakeLlmExchange ExchangeOf(HttpContext context)
        => context.Features.GetRequiredFeature<FakeLlmExchange>();

    private static string? RouteValue(HttpContext context, string name) => context.GetRouteValue(name) as string;

    private static Task HandleEchoAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        var body = FakeJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "echo");
            w.WriteString("method", x.Request.Method);
            w.WriteString("path", x.Request.Path);
            w.WriteString("query", x.Request.QueryString);
            w.WriteNumber("body_bytes", x.Request.Body.Length);
            w.WriteEndObject();
        });
        return FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, body);
    }
}
