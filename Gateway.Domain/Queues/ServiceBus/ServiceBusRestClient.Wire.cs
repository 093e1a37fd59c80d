using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Azure;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>The wire shapes: batch entries, the BrokerProperties header, custom properties as headers, the lock URI.</summary>
internal sealed partial class ServiceBusRestClient
{
    // The batch body is not HTML: keep non-ASCII text as UTF-8 instead of \uXXXX escapes, which would
    // make the size accounting pessimistic for no benefit.
    private static readonly JsonWriterOptions s_batchWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Response headers that are HTTP or broker plumbing; any other header of a received message is one
    // of its custom properties (the REST API sends each as its own header).
    private static readonly HashSet<string> s_standardResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "BrokerProperties", "Location", "Content-Type", "Content-Length", "Content-Encoding", "Date", "Server",
        "Transfer-Encoding", "Connection", "Keep-Alive", "Strict-Transport-Security", "Cache-Control", "Expires",
        "Pragma", "Vary", "ETag", "Last-Modified", "Request-Context", "Alt-Svc",
    };

    // Headers the request itself carries (ours, HTTP's, and Azure.Core's tracing): not custom property names.
    private static readonly HashSet<string> s_requestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Host", "Accept", "Expect", "User-Agent", "traceparent", "tracestate", "Request-Id",
    };

    private static byte[] SerializeBatchEntry(ServiceBusRestMessage message)
    {
        if (!Utf8.IsValid(message.Body.Span))
        {
            throw new ArgumentException($"Message '{message.MessageId}' has a body that is not UTF-8 text; Send Message Batch carries bodies as JSON strings.", nameof(message));
        }

        var buffer = new ArrayBufferWriter<byte>(message.Body.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, s_batchWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Body", message.Body.Span);
            writer.WritePropertyName("BrokerProperties");
            JsonSerializer.Serialize(writer, ToBrokerProperties(message), ServiceBusJsonContext.Default.ServiceBusBrokerProperties);
            if (message.UserProperties.Count > 0)
            {
                writer.WriteStartObject("UserProperties");
                foreach (var (name, value) in message.UserProperties)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static ServiceBusBrokerProperties ToBrokerProperties(ServiceBusRestMessage message) => new()
    {
        MessageId = string.IsNullOrEmpty(message.MessageId) ? Guid.NewGuid().ToString("N") : message.MessageId,
        CorrelationId = message.CorrelationId,
        TimeToLive = message.TimeToLive?.TotalSeconds,
    };

    private ServiceBusRestReceivedMessage ParseReceived(Response response)
    {
        if (!response.Headers.TryGetValue(BrokerPropertiesHeader, out var json))
        {
            throw new RequestFailedException(response.Status, "Peek-Lock answered without a BrokerProperties header.");
        }

        ServiceBusBrokerProperties? properties;
        try
        {
            properties = JsonSerializer.Deserialize(json, ServiceBusJsonContext.Default.ServiceBusBrokerProperties);
        }
        catch (JsonException exception)
        {
            throw new RequestFailedException(response.Status, "Peek-Lock answered with a malformed BrokerProperties header.", exception);
        }

        if (properties is not { LockToken: { Length: > 0 } lockToken, SequenceNumber: { } sequenceNumber })
        {
            throw new RequestFailedException(response.Status, "Peek-Lock answered without LockToken and SequenceNumber.");
        }

        var userProperties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (!s_standardResponseHeaders.Contains(header.Name) && !header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                userProperties[header.Name] = UnquoteHeaderValue(header.Value);
            }
        }

        return new ServiceBusRestReceivedMessage
        {
            Body = response.Content.ToArray(),
            ContentType = response.Headers.ContentType,
            MessageId = properties.MessageId ?? string.Empty,
            CorrelationId = properties.CorrelationId,
            DeliveryCount = properties.DeliveryCount ?? 1,
            LockToken = lockToken,
            SequenceNumber = sequenceNumber,
            EnqueuedTime = ParseHttpDate(properties.EnqueuedTimeUtc),
            LockedUntil = ParseHttpDate(properties.LockedUntilUtc),
            LockLocation = LockLocation(response, sequenceNumber, lockToken),
            UserProperties = userProperties,
        };
    }

    // Use the broker's Location as documented, but never send credentials to a host this client was not
    // configured for (a Location naming the namespace while requests go to an endpoint override, or a
    // hostile one): rebuild the lock URI on our endpoint then.
    private Uri LockLocation(Response response, long sequenceNumber, string lockToken)
    {
        if (response.Headers.TryGetValue("Location", out var location)
            && Uri.TryCreate(location, UriKind.Absolute, out var uri)
            && Uri.Compare(uri, _endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return uri;
        }

        return new Uri($"{_messagesUri.AbsoluteUri}/{sequenceNumber.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(lockToken)}");
    }

    private static DateTimeOffset? ParseHttpDate(string? value)
        => DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    private static string UnquoteHeaderValue(string value)
    {
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize(value, ServiceBusJsonContext.Default.String) ?? value;
            }
            catch (JsonException)
            {
                return value;
            }
        }

        return value;
    }

    // An HTTP token (RFC 9110) that does not shadow a header the request itself needs.
    private static bool IsUserPropertyHeaderName(string name)
        => name.Length > 0
            && name.All(static c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
            && !s_standardResponseHeaders.Contains(name)
            && !s_requestHeaders.Contains(name)
            && !name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase);
}
