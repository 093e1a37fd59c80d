using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Functions.Forwarding;

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

    public enum ReadError
    {
        None,
        TooLarge,
        NotJson,
    }

    public static async Task<(JsonRequestBody? Body, ReadError Error)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, ReadError.TooLarge);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(request.ContentLength ?? 16 * 1024, 1024), maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, ReadError.TooLarge);
                    }

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
                    return (null, ReadError.TooLarge);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        var body = new JsonRequestBody(buffer, length);
        if (!body.Inspect())
        {
            body.Dispose();
            return (null, ReadError.NotJson);
        }

        return (body, ReadError.None);
    }

    /// <summary>
    /// Makes an OpenAI-style stream end with the usage chunk, so that usage is exact for every
    /// stream: inserts <c>stream_options.include_usage: true</c> unless the client asked already.
    /// </summary>
    public void RequestUsageChunk()
    {
        if (!Stream || ClientAskedForUsage)
        {
            return;
        }

        if (_streamOptionsKind == JsonValueKind.Object)
        {
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

    private void Replace(byte[] bytes)
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(_buffer, 0);
        _length = bytes.Length;
    }

    private bool Inspect()
    {
        try
        {
            using var document = JsonDocument.Parse(Bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            Model = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null;
            Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
            _streamOptionsKind = root.TryGetProperty("stream_options", out var options) ? options.ValueKind : JsonValueKind.Undefined;
            ClientAskedForUsage = options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;
            InputLength = root.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.String ? input.GetString()!.Length : null;
            ImageCount = root.TryGetProperty("n", out var n) && n.TryGetInt32(out var count) ? count : null;
            ImageSize = root.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.String ? size.GetString() : null;
            ImageQuality = root.TryGetProperty("quality", out var quality) && quality.ValueKind == JsonValueKind.String ? quality.GetString() : null;
            if (root.TryGetProperty("user", out var user) && user.ValueKind == JsonValueKind.String)
            {
                User = user.GetString();
            }
            else if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("user_id", out var userId) && userId.ValueKind == JsonValueKind.String)
            {
                User = userId.GetString();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
