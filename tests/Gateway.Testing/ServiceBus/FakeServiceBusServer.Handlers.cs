using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.ServiceBus;

public sealed partial class FakeServiceBusServer
{
    private const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    // Request headers that are HTTP, auth or tracing plumbing; any other header of a single send is a
    // custom message property, as the REST API defines.
    private static readonly HashSet<string> s_plumbingHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "BrokerProperties", "Content-Type", "Content-Length", "Host", "Accept", "Accept-Encoding",
        "User-Agent", "Expect", "Connection", "Transfer-Encoding", "traceparent", "tracestate", "Request-Id",
    };

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var (body, tooLarge) = await ReadBodyAsync(request, context.RequestAborted);
        await DispatchAsync(context, body, tooLarge);

        var headers = request.Headers.ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _requests.Add(new FakeServiceBusRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty, headers, body, context.Response.StatusCode));
        }
    }

    private async Task DispatchAsync(HttpContext context, byte[] body, bool tooLarge)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? string.Empty).Trim('/').Split('/');
        var (entityPath, operation) = ParsePath(segments);
        if (entityPath is null)
        {
            await ReplyAsync(context, StatusCodes.Status404NotFound, "Not a Service Bus runtime path.");
            return;
        }

        var now = _options.TimeProvider.GetUtcNow();
        if (FakeServiceBusAuthorization.Check(request.Headers.Authorization.ToString(), entityPath, _options, now) is { } denied)
        {
            await ReplyAsync(context, StatusCodes.Status401Unauthorized, denied);
            return;
        }

        FakeServiceBusQueue? queue;
        lock (_gate)
        {
            queue = FindEntity(entityPath);
        }

        if (queue is null)
        {
            await ReplyAsync(context, StatusCodes.Status410Gone, $"The messaging entity '{entityPath}' could not be found.");
            return;
        }

        switch (operation, request.Method)
        {
            case (Operation.Messages, "POST"):
                if (tooLarge)
                {
                    await ReplyAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body exceeds the maximum message size of {_options.MaxMessageBytes} bytes.");
                }
                else
                {
                    await SendAsync(context, queue, body, now);
                }

                break;
            case (Operation.Head, "POST"):
                await PeekLockAsync(context, queue, entityPath);
                break;
            case (Operation.Lock, "DELETE" or "PUT" or "POST"):
                await SettleAsync(context, queue, segments[^2], segments[^1], now);
                break;
            default:
                await ReplyAsync(context, StatusCodes.Status405MethodNotAllowed, "Not supported by this fake.");
                break;
        }
    }

    private async Task SendAsync(HttpContext context, FakeServiceBusQueue queue, byte[] body, DateTimeOffset now)
    {
        var request = context.Request;
        var isBatch = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && string.Equals(mediaType.MediaType, BatchContentType, StringComparison.OrdinalIgnoreCase);
        if (isBatch && mediaType!.Parameters.Count > 0)
        {
            await ReplyAsync(context, StatusCodes.Status400BadRequest, $"Content-Type must be {BatchContentType} without parameters.");
            return;
        }

        List<ParsedMessage> messages;
        try
        {
            messages = isBatch ? ParseBatch(body) : [ParseSingle(request, body)];
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            await ReplyAsync(context, StatusCodes.Status400BadRequest, "Bad request: " + exception.Message);
            return;
        }

        lock (_gate)
        {
            foreach (var m in messages)
            {
                queue.Enqueue(m.Body, m.ContentType, m.MessageId ?? Guid.NewGuid().ToString("N"), m.CorrelationId, m.TimeToLive, m.UserProperties, now);
            }
        }

        await ReplyAsync(context, StatusCodes.Status201Created, null);
    }

    private static ParsedMessage ParseSingle(HttpRequest request, byte[] body)
    {
        var message = new ParsedMessage { Body = body, ContentType = request.ContentType };
        var brokerProperties = request.Headers["BrokerProperties"].ToString();
        if (brokerProperties.Length > 0)
        {
            using var document = JsonDocument.Parse(brokerProperties);
            ReadBrokerProperties(document.RootElement, message);
        }

        foreach (var header in request.Headers)
        {
            if (!s_plumbingHeaders.Contains(header.Key) && !header.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                var value = header.Value.ToString();
                message.UserProperties[header.Key] = value.StartsWith('"') ? JsonSerializer.Deserialize<string>(value) ?? value : value;
            }
        }

        return message;
    }

    private static List<ParsedMessage> ParseBatch(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() == 0)
        {
            throw new FormatException("a batch is a non-empty JSON array of messages.");
        }

        var messages = new List<ParsedMessage>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("Body", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("each batch entry is an object with a string Body.");
            }

            var message = new ParsedMessage { Body = Encoding.UTF8.GetBytes(text.GetString()!) };
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "Body":
                        break;
                    case "BrokerProperties":
                        ReadBrokerProperties(property.Value, message);
                        break;
                    case "UserProperties" when property.Value.ValueKind == JsonValueKind.Object:
                        foreach (var user in property.Value.EnumerateObject())
                        {
                            message.UserProperties[user.Name] = user.Value.ValueKind == JsonValueKind.String ? user.Value.GetString()! : user.Value.GetRawText();
                        }

                        break;
                    default:
                        throw new FormatException($"unexpected batch entry member '{property.Name}'.");
                }
            }

            messages.Add(message);
        }

        return messages;
    }

    private static void ReadBrokerProperties(JsonElement properties, ParsedMessage message)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("BrokerProperties is a JSON object.");
        }

        // Unknown broker properties are ignored, as documented.
        foreach (var property in properties.EnumerateObject())
        {
            switch (property.Name)
            {
                case "MessageId":
                    message.MessageId = property.Value.GetString();
                    break;
                case "CorrelationId":
                    message.CorrelationId = property.Value.GetString();
                    break;
                case "TimeToLive":
                    message.TimeToLive = TimeSpan.FromSeconds(property.Value.GetDouble());
                    break;
            }
        }
    }

    private async Task PeekLockAsync(HttpContext context, FakeServiceBusQueue queue, string entityPath)
    {
        var timeoutText = context.Request.Query["timeout"].ToString();
        var timeoutSeconds = 60;
        if (timeoutText.Length > 0 && !int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out timeoutSeconds))
        {
            await ReplyAsync(context, StatusCodes.Status400BadRequest, "timeout is a number of seconds.");
            return;
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            FakeServiceBusMessage? locked;
            lock (_gate)
            {
                locked = queue.TryLockNext(_options.TimeProvider.GetUtcNow());
            }

            if (locked is not null)
            {
                await WriteLockedMessageAsync(context, entityPath, locked);
                return;
            }

            if (waited.Elapsed >= TimeSpan.FromSeconds(timeoutSeconds))
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), context.RequestAborted);
        }
    }

    private static async Task WriteLockedMessageAsync(HttpContext context, string entityPath, FakeServiceBusMessage message)
    {
        var properties = new Dictionary<string, object?>
        {
            ["DeliveryCount"] = message.DeliveryCount,
            ["EnqueuedSequenceNumber"] = 0,
            ["EnqueuedTimeUtc"] = message.EnqueuedTime.ToString("r", CultureInfo.InvariantCulture),
            ["LockToken"] = message.LockToken,
            ["LockedUntilUtc"] = message.LockedUntil!.Value.ToString("r", CultureInfo.InvariantCulture),
            ["MessageId"] = message.MessageId,
            ["SequenceNumber"] = message.SequenceNumber,
            ["State"] = "Active",
        };
        if (message.CorrelationId is not null)
        {
            properties["CorrelationId"] = message.CorrelationId;
        }

        if (message.TimeToLive is { } ttl)
        {
            properties["TimeToLive"] = ttl.TotalSeconds;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers["BrokerProperties"] = JsonSerializer.Serialize(properties);
        var request = context.Request;
        response.Headers.Location = $"{request.Scheme}://{request.Host}/{entityPath}/messages/{message.SequenceNumber}/{message.LockToken}";
        foreach (var (name, value) in message.UserProperties)
        {
            response.Headers[name] = JsonSerializer.Serialize(value); // JSON-quoted, non-ASCII escaped
        }

        if (message.ContentType is not null)
        {
            response.ContentType = message.ContentType;
        }

        await response.Body.WriteAsync(message.Body, context.RequestAborted);
    }

    private async Task SettleAsync(HttpContext context, FakeServiceBusQueue queue, string messageReference, string lockToken, DateTimeOffset now)
    {
        var reference = Uri.UnescapeDataString(messageReference);
        var token = Uri.UnescapeDataString(lockToken);
        bool found;
        lock (_gate)
        {
            found = context.Request.Method switch
            {
                "DELETE" => queue.Complete(reference, token, now),
                "PUT" => queue.Unlock(reference, token, now),
                _ => queue.RenewLock(reference, token, now),
            };
        }

        await ReplyAsync(context, found ? StatusCodes.Status200OK : StatusCodes.Status404NotFound, found ? null : "No message was found with the specified MessageId or LockToken.");
    }

    private async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = _options.MaxMessageBytes;
        if (request.ContentLength > limit)
        {
            return ([], true);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return ([], true);
            }
        }

        return (buffer.ToArray(), false);
    }

    // {entity}/messages | {entity}/messages/head | {entity}/messages/{id|sequenceNumber}/{lockToken}
    private static (string? EntityPath, Operation Operation) ParsePath(string[] segments)
    {
        static bool IsMessages(string segment) => segment.Equals("messages", StringComparison.OrdinalIgnoreCase);
        var n = segments.Length;
        if (n >= 2 && IsMessages(segments[n - 1]))
        {
            return (string.Join('/', segments[..(n - 1)]), Operation.Messages);
        }

        if (n >= 3 && IsMessages(segments[n - 2]) && segments[n - 1].Equals("head", StringComparison.OrdinalIgnoreCase))
        {
            return (string.Join('/', segments[..(n - 2)]), Operation.Head);
        }

        if (n >= 4 && IsMessages(segments[n - 3]))
        {
            return (string.Join('/', segments[..(n - 3)]), Operation.Lock);
        }

        return (null, Operation.Messages);
    }

    private static async Task ReplyAsync(HttpContext context, int status, string? text)
    {
        context.Response.StatusCode = status;
        if (text is not null)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text, context.RequestAborted);
        }
    }

    private enum Operation
    {
        Messages,
        Head,
        Lock,
    }

    private sealed class ParsedMessage
    {
        public required byte[] Body { get; init; }

        public string? ContentType { get; init; }

        public string? MessageId { get; set; }

        public string? CorrelationId { get; set; }

        public TimeSpan? TimeToLive { get; set; }

        public Dictionary<string, string> UserProperties { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
