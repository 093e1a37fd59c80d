using System.Buffers;
using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Http;

/// <summary>
/// Reads a management request body: bounded, any content type (BricksLLM's curl examples do not
/// all send one), source-generated JSON. Every way a client can get it wrong is a 4xx
/// problem naming the field (from <see cref="JsonException.Path"/>), never an exception.
/// </summary>
internal static class AdminJsonBody
{
    /// <summary>A key, setting or route is a few KB; 256 KiB leaves room for long allow-lists.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static async Task<AdminBody<T>> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return new(null, TooLarge(context));
        }

        var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var buffer = new MemoryStream();
        try
        {
            if (!await CopyBoundedAsync(context.Request.Body, buffer, context.RequestAborted))
            {
                return new(null, TooLarge(context));
            }
        }
        catch (BadHttpRequestException ex)
        {
            return new(null, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(context)
                : AdminProblem.BadRequest(context, "the request body could not be read", AdminProblem.JsonUnmarshal));
        }

        if (buffer.Length == 0)
        {
            return new(null, AdminProblem.BadRequest(context, "the request body is empty: a JSON object is required", AdminProblem.JsonUnmarshal));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), DocumentOptions);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            var where = ex is JsonException { LineNumber: { } line, BytePositionInLine: { } position }
                ? $" (line {line + 1}, byte {position + 1})"
                : string.Empty;
            return new(null, AdminProblem.BadRequest(context, $"the request body is not valid JSON{where}: a JSON object is required", AdminProblem.JsonUnmarshal));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new(null, AdminProblem.BadRequest(context, "the request body must be a JSON object", AdminProblem.JsonUnmarshal));
            }

            // PostgreSQL text and jsonb cannot hold U+0000: refuse it here, naming the field, rather than fail at the INSERT.
            if (FindUnstorableString(document.RootElement, string.Empty) is { } bad)
            {
                return new(null, AdminProblem.BadRequest(context, bad));
            }

            try
            {
                var value = document.RootElement.Deserialize(typeInfo);
                return value is null
                    ? new(null, AdminProblem.BadRequest(context, "the request body must be a JSON object", AdminProblem.JsonUnmarshal))
                    : new(value, null);
            }
            catch (JsonException ex)
            {
                return new(null, AdminProblem.BadRequest(context, DescribeTypeError(ex, typeInfo), AdminProblem.JsonUnmarshal));
            }
        }
    }

    private static async Task<bool> CopyBoundedAsync(Stream body, MemoryStream destination, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (destination.Length + read > MaxBodyBytes)
                {
                    return false;
                }

                destination.Write(chunk, 0, read);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static ProblemHttpResult TooLarge(HttpContext context)
        => AdminProblem.Create(context, StatusCodes.Status413PayloadTooLarge, AdminProblem.Validation, "request body too large", $"the request body must be at most {MaxBodyBytes} bytes");

    private static string? FindUnstorableString(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (property.Name.Contains('\0', StringComparison.Ordinal))
                    {
                        return $"{child} must not contain the NUL character (\\u0000) in its name";
                    }

                    if (FindUnstorableString(property.Value, child) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnstorableString(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                try
                {
                    return element.GetString()!.Contains('\0', StringComparison.Ordinal)
                        ? $"{path} must not contain the NUL character (\\u0000)"
                        : null;
                }
                catch (InvalidOperationException)
                {
                    return $"{path} is not valid Unicode text";
                }

            default:
                return null;
        }
    }

    /// <summary>"rateLimitOverTime must be an integer": the field from the exception's path, what it must be from the type.</summary>
    private static string DescribeTypeError(JsonException ex, JsonTypeInfo root)
    {
        var path = ex.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "the request body must be a JSON object";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var expected = ExpectedValue(root, path);
        return expected is null ? $"{field} has a value of the wrong type" : $"{field} must be {expected}";
    }

    private static string? ExpectedValue(JsonTypeInfo root, string path)
    {
        JsonTypeInfo current = root;
        try
        {
            foreach (var (name, isIndex) in Segments(path))
            {
                Type next;
                switch (current.Kind)
                {
                    case JsonTypeInfoKind.Object when !isIndex:
                        var property = current.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                        if (property is null)
                        {
                            return null;
                        }

                        next = property.PropertyType;
                        break;
                    case JsonTypeInfoKind.Enumerable when isIndex:
                    case JsonTypeInfoKind.Dictionary when !isIndex:
                        next = current.ElementType!;
                        break;
                    default:
                        return null;
                }

                current = root.Options.GetTypeInfo(next);
            }
        }
        catch (NotSupportedException)
        {
            return null;
        }

        return Describe(current.Type);
    }

    private static string? Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return "an integer";
        }

        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
        {
            return "a number";
        }

        if (type == typeof(JsonElement))
        {
            return null;
        }

        if (typeof(IDictionary).IsAssignableFrom(type))
        {
            return "an object";
        }

        return typeof(IEnumerable).IsAssignableFrom(type) ? "an array" : "an object";
    }

    /// <summary>Splits <c>$.a.b[0]['c.d']</c> into (a), (b), (0, index), (c.d).</summary>
    private static IEnumerable<(string Name, bool IsIndex)> Segments(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 1)..end], false);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 2)..end], false);
                i = Math.Min(path.Length, end + 2);
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 1)..end], true);
                i = Math.Min(path.Length, end + 1);
            }
            else
            {
                yield break;
            }
        }
    }
}
