using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Caching;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Pipeline;

/// <summary>
/// A JSON request body, read whole (bounded) because the proxy must know the model, whether the
/// client streams, and the end user before it forwards. Held in a pooled buffer.
/// </summary>
internal sealed class JsonRequestBody : IDisposable
{
    private static ReadOnlySpan<byte> IncludeUsage => "\"stream_options\":{\"include_usage\":true},"u8;

    private byte[] _buffer;
    private int _length;

    private JsonRequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    public string? Model { get; private set; }

    public bool Stream { get; private set; }

    /// <summary>The body has a <c>stream_options</c> member, and whether it is an object.</summary>
    private JsonValueKind _streamOptionsKind = JsonValueKind.Undefined;

    /// <summary>The gateway inserted <c>stream_options.include_usage</c> (so the usage-only chunk is not the client's to see).</summary>
    public bool UsageChunkRequested { get; private set; }

    /// <summary>The client itself asked for the usage chunk (<c>stream_options.include_usage: true</c>).</summary>
    public bool ClientAskedForUsage { get; private set; }

    /// <summary>Length of a string <c>input</c> (text-to-speech characters).</summary>
    public int? InputLength { get; private set; }

    /// <summary>Image generation parameters, when present.</summary>
    public int? ImageCount { get; private set; }

    public string? ImageSize { get; private set; }

    public string? ImageQuality { get; private set; }

    /// <summary>The end user: OpenAI-style <c>user</c>, or Anthropic's <c>metadata.user_id</c>.</summary>
    public string? User { get; private set; }

    /// <summary>Whether the request asks for a repeatable answer: <c>temperature</c> 0 or a <c>seed</c> (the cache's <c>auto</c> rule).</summary>
    public bool Repeatable { get; private set; }

    /// <summary>The body, or why it is refused (413 too large, 400 not a JSON object or a field the proxy reads is malformed).</summary>
    public readonly record struct ReadResult(JsonRequestBody? Body, ProxyOutcome? Error);

    public static async ValueTask<ReadResult> ReadAsync(HttpRequest request, long maxBytes, RequestFields fields, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new(null, ProxyOutcome.TooLarge(maxBytes));
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(request.ContentLength ?? 16 * 1024, 1024), maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new(null, ProxyOutcome.TooLarge(maxBytes));
                }
            }
        }
        catch (Exception ex) when ((ex is IOException or BadHttpRequestException) && !cancellationToken.IsCancellationRequested)
        {
            // Kestrel refused the body itself: a malformed chunk-size line (400) or above its per-request limit (413).
            ArrayPool<byte>.Shared.Return(buffer);
            return new(null, Forwarding.ClientBodyStream.StatusOf(ex) == StatusCodes.Status413PayloadTooLarge
                ? ProxyOutcome.TooLarge(maxBytes)
                : ProxyOutcome.BadRequest("request body is malformed: " + ex.Message));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        var body = new JsonRequestBody(buffer, length);
        if (body.Inspect(fields) is { } error)
        {
            body.Dispose();
            return new(null, error);
        }

        return new(body, null);
    }

    /// <summary>
    /// Makes an OpenAI-style stream end with the usage chunk, so that usage is exact for every
    /// stream: inserts <c>stream_options.include_usage: true</c> unless the client asked already.
    /// </summary>
    public void RequestUsageChunk()
    {
        // Idempotent: rotation and translated attempts may ask once per attempt.
        if (!Stream || ClientAskedForUsage || UsageChunkRequested)
        {
            return;
        }

        if (_streamOptionsKind == JsonValueKind.Object)
        {
            UsageChunkRequested = true;
            // Rare: the client set other stream options. Merge through the DOM.
            var node = JsonNode.Parse(Bytes.Span)!.AsObject();
            node["stream_options"]!.AsObject()["include_usage"] = true;
            Replace(JsonSerializer.SerializeToUtf8Bytes(node, ForwardingJsonContext.Default.JsonObject));
            return;
        }

        if (_streamOptionsKind != JsonValueKind.Undefined)
        {
            // stream_options is there but not an object: leave the client's body as it is.
            return;
        }

        UsageChunkRequested = true;

        // Common case: splice the member in right after the opening brace; the body stays byte-identical otherwise.
        var span = Bytes.Span;
        var brace = span.IndexOf((byte)'{');
        var updated = ArrayPool<byte>.Shared.Rent(_length + IncludeUsage.Length);
        span[..(brace + 1)].CopyTo(updated);
        IncludeUsage.CopyTo(updated.AsSpan(brace + 1));
        span[(brace + 1)..].CopyTo(updated.AsSpan(brace + 1 + IncludeUsage.Length));
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = updated;
        _length += IncludeUsage.Length;
    }

    /// <summary>The prompt as text, for counting tokens when the provider reports no usage.</summary>
    public string? PromptText()
    {
        try
        {
            return ReadPromptText();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Invalid UTF-8 in a message: count nothing rather than fail the event.
            return null;
        }
    }

    private string? ReadPromptText()
    {
        using var document = JsonDocument.Parse(Bytes);
        var root = document.RootElement;
        var text = new StringBuilder();
        if (root.TryGetProperty("system", out var system))
        {
            AppendContent(system, text);
        }

        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
                {
                    AppendContent(content, text);
                }
            }
        }

        foreach (var name in (string[])["prompt", "input"])
        {
            if (root.TryGetProperty(name, out var value))
            {
                AppendContent(value, text);
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    public string AsText() => Encoding.UTF8.GetString(Bytes.Span);

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private static void AppendContent(JsonElement content, StringBuilder text)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(content.GetString()).Append('\n');
                break;
            case JsonValueKind.Array:
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        text.Append(part.GetString()).Append('\n');
                    }
                    else if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString()).Append('\n');
                    }
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Swaps the body for <paramref name="bytes"/>: a rewrite that keeps the fields read above (privacy redaction changes texts only).</summary>
    public void Replace(byte[] bytes)
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(_buffer, 0);
        _length = bytes.Length;
    }

    // Every field is read defensively: a wrong type or invalid UTF-8 in a field the proxy reads is
    // the client's error (400 naming the field), never an exception.
    private ProxyOutcome? Inspect(RequestFields fields)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Bytes);
        }
        catch (JsonException)
        {
            return ProxyOutcome.BadRequest("request body is not a JSON object");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ProxyOutcome.BadRequest("request body is not a JSON object");
            }

            if (!TryReadString(root, fields.Model, out var model, out var error))
            {
                return error;
            }

            Model = model;
            if (Find(root, fields.Stream) is { } stream)
            {
                if (stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
                {
                    return FieldError(fields.Stream!, "must be a boolean");
                }

                Stream = stream.ValueKind == JsonValueKind.True;
            }

            foreach (var location in fields.User)
            {
                if (!TryReadString(root, location, out var user, out error))
                {
                    return error;
                }

                if (user is not null)
                {
                    User = user;
                    break;
                }
            }

            // Fixed names are looked up as UTF-8 literals: no transcoding of the name per lookup.
            _streamOptionsKind = root.TryGetProperty("stream_options"u8, out var options) ? options.ValueKind : JsonValueKind.Undefined;
            ClientAskedForUsage = options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage"u8, out var include) && include.ValueKind == JsonValueKind.True;
            if (root.TryGetProperty("n"u8, out var n) && n.ValueKind != JsonValueKind.Null)
            {
                if (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out var count))
                {
                    return FieldError("n", "must be an integer");
                }

                ImageCount = count;
            }

            if (!TryReadString(root, "input", out var input, out error, otherKindsAllowed: true)
                || !TryReadString(root, "size", out var size, out error, otherKindsAllowed: true)
                || !TryReadString(root, "quality", out var quality, out error, otherKindsAllowed: true))
            {
                return error;
            }

            Repeatable = CanonicalRequest.IsRepeatable(root);
            InputLength = input?.Length;
            ImageSize = size;
            ImageQuality = quality;
            return null;
        }
    }

    private static bool TryReadString(JsonElement root, string? location, out string? value, out ProxyOutcome? error, bool otherKindsAllowed = false)
    {
        value = null;
        error = null;
        if (Find(root, location) is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = otherKindsAllowed ? null : FieldError(location!, "must be a string");
            return otherKindsAllowed;
        }

        try
        {
            value = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone escaped surrogate: it could not be stored or matched.
            error = FieldError(location!, "must be valid UTF-8 text");
            return false;
        }
    }

    // A dotted location below the root object (metadata.user_id).
    private static JsonElement? Find(JsonElement root, string? location)
    {
        if (location is null)
        {
            return null;
        }

        var current = root;
        foreach (var range in location.AsSpan().Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(location.AsSpan()[range], out current))
            {
                return null;
            }
        }

        return current;
    }

    private static ProxyOutcome FieldError(string field, string problem) => ProxyOutcome.BadRequest($"request body field '{field}' {problem}");
}
