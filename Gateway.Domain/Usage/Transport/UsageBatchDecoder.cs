using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// The decode side of the queue format: a <see cref="UsageBatchEnvelope"/> (schema version 2) or a
/// version-1 single <see cref="UsageEventMessage"/>, as UTF-8 JSON or gzip of it (a body starting
/// with 0x1f 0x8b). Each element of a batch is decoded on its own, so one bad element is rejected with
/// its reason and the others go on.
/// </summary>
public static class UsageBatchDecoder
{
    /// <summary>
    /// Decodes one message body. Gzip that is corrupt or inflates to more than
    /// <see cref="UsageGzip.MaxInflatedBytes"/> (a decompression bomb) is unreadable, like a body that is not JSON.
    /// </summary>
    public static DecodedUsageBatch Decode(ReadOnlyMemory<byte> body)
    {
        if (!UsageGzip.IsGzip(body.Span))
        {
            return DecodeJson(body);
        }

        return UsageGzip.TryInflate(body, UsageGzip.MaxInflatedBytes, out var json, out var error)
            ? DecodeJson(json)
            : DecodedUsageBatch.Unreadable(error!);
    }

    private static DecodedUsageBatch DecodeJson(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException ex)
        {
            return DecodedUsageBatch.Unreadable("not JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return DecodedUsageBatch.Unreadable($"not a usage message: the JSON is {root.ValueKind}, not an object");
            }

            return TryGetProperty(root, "events", out var events) ? DecodeBatch(root, events) : DecodeSingle(utf8.Span);
        }
    }

    private static DecodedUsageBatch DecodeBatch(JsonElement root, JsonElement events)
    {
        if (TryGetProperty(root, "schemaVersion", out var version)
            && (!version.TryGetInt32(out var number) || number < UsageBatchEnvelope.CurrentSchemaVersion || number > UsageBatchEnvelope.CurrentSchemaVersion))
        {
            return DecodedUsageBatch.Unreadable($"batch schemaVersion {version.GetRawText()} is not understood by this ingest (it reads {UsageBatchEnvelope.CurrentSchemaVersion})");
        }

        if (events.ValueKind != JsonValueKind.Array)
        {
            return DecodedUsageBatch.Unreadable($"batch 'events' is {events.ValueKind}, not an array");
        }

        var batchId = TryGetProperty(root, "batchId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var decoded = new List<UsageEventMessage>(events.GetArrayLength());
        var rejected = new List<RejectedUsageEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in events.EnumerateArray())
        {
            var json = element.GetRawText();
            var message = TryParseElement(json, out var error);
            if (message is null)
            {
                rejected.Add(new RejectedUsageEvent(index, EventIdOf(element), error!, json));
            }
            else if (seen.Add(message.EventId))
            {
                decoded.Add(message); // A repeated id is the same event: ingesting it once is exactly once.
            }

            index++;
        }

        return new DecodedUsageBatch(batchId, decoded, rejected, null);
    }

    // A version-1 message is its event: if that cannot be decoded, the message cannot be read at all.
    private static DecodedUsageBatch DecodeSingle(ReadOnlySpan<byte> utf8)
    {
        var message = TryParseElement(Encoding.UTF8.GetString(utf8), out var error);
        return message is null ? DecodedUsageBatch.Unreadable(error!) : new DecodedUsageBatch(null, [message], [], null);
    }

    // A lone surrogate escape makes System.Text.Json refuse the whole event; mended, the event is stored.
    private static UsageEventMessage? TryParseElement(string json, out string? error)
    {
        var message = UsageMessageCodec.TryParse(json, out error);
        if (message is null && error is not null && error.StartsWith("not a usage event", StringComparison.Ordinal))
        {
            var repaired = JsonEscapeRepair.Repair(json);
            if (!ReferenceEquals(repaired, json) && UsageMessageCodec.TryParse(repaired, out _) is { } mended)
            {
                error = null;
                return mended;
            }
        }

        return message;
    }

    private static string? EventIdOf(JsonElement element)
        => element.ValueKind == JsonValueKind.Object && TryGetProperty(element, "eventId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    // The queue JSON is camelCase, read case-insensitively like the serializer does.
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
