using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// Writes Server-Sent Events one at a time, flushing each so the client sees it immediately, and
/// applies the chunk delay and the drop fault.
/// </summary>
internal sealed class SseWriter
{
    private static readonly byte[] s_done = "[DONE]"u8.ToArray();
    private readonly FakeLlmExchange _exchange;
    private int _eventsWritten;

    private SseWriter(FakeLlmExchange exchange)
    {
        _exchange = exchange;
    }

    public static async Task<SseWriter> StartAsync(FakeLlmExchange exchange)
    {
        var context = exchange.Context;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        // Both OpenAI and Anthropic send the charset parameter.
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(exchange.Aborted);
        await context.Response.Body.FlushAsync(exchange.Aborted);
        return new SseWriter(exchange);
    }

    /// <summary><c>data: {json}\n\n</c> (OpenAI style).</summary>
    public Task WriteDataAsync(Action<System.Text.Json.Utf8JsonWriter> json) => WriteEventAsync(null, FakeJson.Write(json));

    /// <summary><c>event: name\ndata: {json}\n\n</c> (Anthropic style).</summary>
    public Task WriteEventAsync(string eventName, Action<System.Text.Json.Utf8JsonWriter> json) => WriteEventAsync(eventName, FakeJson.Write(json));

    /// <summary>OpenAI's terminator, <c>data: [DONE]\n\n</c>.</summary>
    public Task WriteDoneAsync() => WriteEventAsync(null, s_done);

    /// <summary>Call after the last event: a pending drop fault still aborts the response before it completes.</summary>
    public async Task CompleteAsync()
    {
        if (_exchange.DropFault is not null)
        {
            throw await _exchange.DropAsync();
        }
    }

    private async Task WriteEventAsync(string? eventName, byte[] data)
    {
        var token = _exchange.Aborted;
        if (_eventsWritten > 0 && _exchange.Settings.ChunkDelay > TimeSpan.Zero)
        {
            await Task.Delay(_exchange.Settings.ChunkDelay, token);
        }

        if (_exchange.DropFault is { } fault && _eventsWritten >= fault.EventsBeforeDrop)
        {
            throw await _exchange.DropAsync();
        }

        var frame = new List<byte>(data.Length + 64);
        if (eventName is not null)
        {
            frame.AddRange(Encoding.UTF8.GetBytes($"event: {eventName}\n"));
        }

        frame.AddRange("data: "u8);
        frame.AddRange(data);
        frame.AddRange("\n\n"u8);

        var body = _exchange.Context.Response.Body;
        await body.WriteAsync(frame.ToArray(), token);
        await body.FlushAsync(token);
        // Kestrel completes writes to a connection the client closed without throwing.
        token.ThrowIfCancellationRequested();
        _eventsWritten++;
    }
}
