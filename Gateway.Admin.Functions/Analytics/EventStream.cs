using System.Text.Json;
using Gateway.Domain.Usage;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// Writes event listings as they are read. Both listings may be unbounded (<c>limit</c> 0 means
/// all, as in BricksLLM) and events carry request and response bodies, so rows are never collected
/// in memory: each is serialized and flushed in chunks.
/// </summary>
internal static class EventStream
{
    public const string ContentType = "application/json; charset=utf-8";

    private const int FlushBytes = 32 * 1024;

    /// <summary><c>[event, ...]</c></summary>
    public static async Task WriteArrayAsync(Stream body, IAsyncEnumerable<UsageEvent> events, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartArray();
        await WriteEventsAsync(writer, events, cancellationToken);
        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary><c>{"events":[...],"count":n}</c>, BricksLLM's <c>EventResponse</c>.</summary>
    public static async Task WriteSearchAsync(Stream body, IAsyncEnumerable<UsageEvent> events, long count, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteStartArray("events");
        await WriteEventsAsync(writer, events, cancellationToken);
        writer.WriteEndArray();
        writer.WriteNumber("count", count);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    private static async Task WriteEventsAsync(Utf8JsonWriter writer, IAsyncEnumerable<UsageEvent> events, CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, EventBody.From(e), AnalyticsJsonContext.Default.EventBody);
            if (writer.BytesPending >= FlushBytes)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
    }
}
