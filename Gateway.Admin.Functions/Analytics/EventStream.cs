using System.IO.Pipelines;
using System.Text.Json;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// Writes event listings as they are read. Both listings may be unbounded (<c>limit</c> 0 means
/// all, as in BricksLLM) and events carry request and response bodies, so rows are never collected
/// in memory: each is serialized into a pipe that is flushed every <see cref="FlushBytes"/>.
/// </summary>
/// <remarks>
/// The JSON writer sits on a <see cref="PipeWriter"/>, not on the response stream: the serializer
/// flushes its writer after every value, which on a stream is synchronous I/O (refused by Kestrel)
/// and on a pipe only commits bytes to the buffer. Nothing reaches the client before the first
/// flush, so a query that fails on its first rows still gets a clean 500.
/// </remarks>
internal static class EventStream
{
    public const string ContentType = "application/json; charset=utf-8";

    private const int FlushBytes = 32 * 1024;

    /// <summary><c>[event, ...]</c></summary>
    public static Task WriteArrayAsync(Stream body, IAsyncEnumerable<EventBody> events, CancellationToken cancellationToken)
        => WriteAsync(body, async (writer, pipe) =>
        {
            writer.WriteStartArray();
            await WriteEventsAsync(writer, pipe, events, cancellationToken);
            writer.WriteEndArray();
        }, cancellationToken);

    /// <summary><c>{"events":[...],"count":n}</c>, BricksLLM's <c>EventResponse</c>.</summary>
    public static Task WriteSearchAsync(Stream body, IAsyncEnumerable<EventBody> events, long count, CancellationToken cancellationToken)
        => WriteAsync(body, async (writer, pipe) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            await WriteEventsAsync(writer, pipe, events, cancellationToken);
            writer.WriteEndArray();
            writer.WriteNumber("count", count);
            writer.WriteEndObject();
        }, cancellationToken);

    private static async Task WriteAsync(Stream body, Func<Utf8JsonWriter, PipeWriter, Task> write, CancellationToken cancellationToken)
    {
        var pipe = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
        using (var writer = new Utf8JsonWriter(pipe))
        {
            await write(writer, pipe);
        }

        await pipe.FlushAsync(cancellationToken);
        await pipe.CompleteAsync();
    }

    private static async Task WriteEventsAsync(Utf8JsonWriter writer, PipeWriter pipe, IAsyncEnumerable<EventBody> events, CancellationToken cancellationToken)
    {
        var flushed = 0L;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, e, AnalyticsJsonContext.Default.EventBody);
            if (writer.BytesCommitted - flushed >= FlushBytes)
            {
                flushed = writer.BytesCommitted;
                await pipe.FlushAsync(cancellationToken);
            }
        }
    }
}
