using System.Buffers;
using Gateway.Domain.Caching;
using Gateway.Functions.Pipeline;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Functions.Caching;

/// <summary>
/// Writes a cached answer to the client: the JSON body, or the events of its stream in one write
/// (the usage chunk only when the client asked for it), with <c>x-bt-cached: HIT</c>. Usage for the
/// event is read from the answer's JSON form, which always carries it.
/// </summary>
internal static class CacheHitWriter
{
    private const int MaxLoggedBodyBytes = 1 << 20;

    public static async Task WriteAsync(ProxyContext context, CachedResponse entry, bool stream)
    {
        var json = CachedResponseRenderer.Json(entry);
        var usage = context.Adapter.CreateUsageReader("application/json", context.Usage);
        usage?.ReadChunk(json);
        usage?.Complete();

        var response = context.Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[CacheModes.AnswerHeader] = "HIT";
        context.Status = StatusCodes.Status200OK;
        context.Streamed = stream;
        context.Cached = true;
        ReadOnlyMemory<byte> body;
        if (stream)
        {
            var events = CachedResponseRenderer.Events(entry, includeUsage: context.Body is { ClientAskedForUsage: true });
            var buffer = new ArrayBufferWriter<byte>(4096);
            foreach (var evt in events)
            {
                buffer.Write(evt);
            }

            body = buffer.WrittenMemory;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            context.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }
        else
        {
            body = json;
            response.ContentType = "application/json";
            response.ContentLength = json.Length;
        }

        if (context.Key!.ShouldLogResponse)
        {
            context.ResponseCopy = new MemoryStream(body[..Math.Min(body.Length, MaxLoggedBodyBytes)].ToArray());
        }

        await response.Body.WriteAsync(body, context.Aborted);
        await response.Body.FlushAsync(context.Aborted);
    }
}
