using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// The usage event's queue format: UTF-8 JSON of <see cref="UsageEventMessage"/> (schema version
/// <see cref="UsageEventMessage.CurrentSchemaVersion"/>), and the size limits beyond which an event
/// travels as a claim check.
/// </summary>
public static class UsageMessageCodec
{
    /// <summary>
    /// Storage queues take 64 KiB per message, measured on the Base64 text the Functions trigger
    /// expects: 48,000 bytes encode to 64,000 characters, under 65,536 with room to spare.
    /// </summary>
    public const int StorageQueueMaxBodyBytes = 48_000;

    /// <summary>
    /// The budget of a gzip body on the Storage queue (hundreds of events at about 13× compression).
    /// Below <see cref="StorageQueueMaxBodyBytes"/> for the proxy's memory: the Storage SDK turns the
    /// body into a Base64 <c>string</c> and copies it once more; at 30,000 bytes those strings are
    /// 80,000 bytes, under the runtime's 85,000-byte large-object threshold. At 48,000 bytes each is
    /// 128 KB on the large-object heap, and those allocations alone made the proxy run about four
    /// gen2 collections per second under load (tests/Gateway.Benchmarks/README.md).
    /// </summary>
    public const int StorageQueueMaxCompressedBodyBytes = 30_000;

    /// <summary>
    /// Service Bus Standard takes 256 KiB per request, and Send Message Batch carries each body as a
    /// JSON string: escaping at most doubles our JSON text (every <c>"</c> and <c>\</c> gains a
    /// backslash; it has no raw control characters), plus the broker properties. 120 KiB doubled is
    /// 240 KiB, leaving 16 KiB for the entry's envelope.
    /// </summary>
    public const int ServiceBusMaxBodyBytes = 120 * 1024;

    /// <summary>Longest event id: the <c>events.event_id</c> column and the claim blob's name.</summary>
    public const int MaxEventIdLength = 64;

    /// <summary>
    /// How <see cref="Write"/> writes: non-ASCII text stays UTF-8 (<see cref="UsageJsonContext.Queue"/>'s encoder),
    /// and no structure checks (the serializer's own writers skip them too).
    /// A writer made with these options writes exactly the bytes <see cref="UsageJsonContext.Queue"/> serializes.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static byte[] Serialize(UsageEventMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes <paramref name="message"/> to a writer made with <see cref="WriterOptions"/>: the bytes
    /// <see cref="UsageJsonContext.Queue"/> serializes. For speed it uses the source generator's
    /// fast path, which System.Text.Json takes only for options without an encoder: the
    /// <c>Default</c> context (the same naming and null handling) writes, and the writer's own
    /// encoder escapes the values. The property names are ASCII camelCase, the same under any encoder.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, UsageEventMessage message)
        => JsonSerializer.Serialize(writer, message, UsageJsonContext.Default.UsageEventMessage);

    /// <summary>What the queue carries instead of an oversized event: its identity and where the whole event is.</summary>
    public static UsageEventMessage ClaimCheckEnvelope(UsageEventMessage message, UsageClaimCheck claimCheck)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new UsageEventMessage
        {
            SchemaVersion = message.SchemaVersion,
            EventId = message.EventId,
            CreatedAtUnixMs = message.CreatedAtUnixMs,
            KeyId = message.KeyId,
            ClaimCheck = claimCheck,
        };
    }

    /// <summary>Parses and checks a message; on failure returns null and why (the message is poison).</summary>
    public static UsageEventMessage? TryParse(ReadOnlySpan<byte> utf8, out string? error)
    {
        UsageEventMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(utf8, UsageJsonContext.Queue.UsageEventMessage);
        }
        catch (JsonException ex)
        {
            error = "not a usage event: " + ex.Message;
            return null;
        }

        error = Check(message);
        return error is null ? message : null;
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{byte}, out string?)"/>
    public static UsageEventMessage? TryParse(string text, out string? error)
        => TryParse(System.Text.Encoding.UTF8.GetBytes(text ?? string.Empty), out error);

    private static string? Check(UsageEventMessage? message)
    {
        if (message is null)
        {
            return "not a usage event: the JSON is null";
        }

        if (string.IsNullOrWhiteSpace(message.EventId) || message.EventId.Length > MaxEventIdLength)
        {
            return $"eventId must be 1-{MaxEventIdLength} characters";
        }

        if (message.SchemaVersion is < 1 or > UsageEventMessage.CurrentSchemaVersion)
        {
            return $"schemaVersion {message.SchemaVersion} is not understood by this ingest (it reads 1-{UsageEventMessage.CurrentSchemaVersion})";
        }

        if (message.ClaimCheck is { } claim && (string.IsNullOrEmpty(claim.Container) || string.IsNullOrEmpty(claim.Blob)))
        {
            return "claimCheck must name a container and a blob";
        }

        return null;
    }
}
