using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Admin.Functions.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// Reads analytics input: JSON bodies (bounded, source-generated) and query strings. Anything a
/// client can get wrong becomes a 4xx problem that names the field, never an exception.
/// </summary>
internal static class AnalyticsInput
{
    /// <summary>Analytics bodies are a few filters; 64 KiB leaves room for thousands of ids.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>A body, or the problem that answers the request instead.</summary>
    public readonly record struct Body<T>(T? Value, ProblemHttpResult? Problem)
        where T : class;

    /// <summary>
    /// Deserializes the body. <paramref name="fieldTypes"/> maps a JSON property to what it should
    /// be ("an integer", ...) so a wrong type is reported as such and names the field.
    /// </summary>
    public static async Task<Body<T>> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, IReadOnlyDictionary<string, string> fieldTypes)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return new(null, TooLarge(context));
        }

        if (request.ContentLength == 0)
        {
            return new(null, AdminProblem.BadRequest(context, "the request body is empty: a JSON object is required", AdminProblem.JsonUnmarshal));
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, context.RequestAborted);
            return value is null
                ? new(null, AdminProblem.BadRequest(context, "the request body must be a JSON object", AdminProblem.JsonUnmarshal))
                : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, AdminProblem.BadRequest(context, Describe(ex, fieldTypes), AdminProblem.JsonUnmarshal));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, TooLarge(context));
        }
    }

    /// <summary>
    /// All values of a query array in either spelling: <c>keyIds=a&amp;keyIds=b</c> or BricksLLM's
    /// <c>keyIds[]=a</c>. Null when the parameter is absent.
    /// </summary>
    public static List<string?>? QueryArray(IQueryCollection query, string name)
    {
        ArgumentNullException.ThrowIfNull(query);
        var plain = query[name];
        var brackets = query[name + "[]"];
        if (plain.Count == 0 && brackets.Count == 0)
        {
            return null;
        }

        return [.. plain, .. brackets];
    }

    /// <summary>An optional single query value; given twice it is an error.</summary>
    public static string? QueryValue(IQueryCollection query, string name, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        var values = query[name];
        if (values.Count > 1)
        {
            errors.Add($"{name} must be given once");
        }

        return values.Count == 0 ? null : values[0];
    }

    /// <summary>An optional integer query value (unix seconds).</summary>
    public static long? QueryLong(IQueryCollection query, string name, ValidationErrors errors)
    {
        var text = QueryValue(query, name, errors);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{name} must be an integer (unix seconds), got '{text}'");
        return null;
    }

    private static ProblemHttpResult TooLarge(HttpContext context)
        => AdminProblem.Create(context, StatusCodes.Status413PayloadTooLarge, AdminProblem.Validation, "request body too large", $"the request body must be at most {MaxBodyBytes} bytes");

    private static string Describe(JsonException ex, IReadOnlyDictionary<string, string> fieldTypes)
    {
        // A syntax error wraps the reader's exception (itself a JsonException); a value of the
        // wrong type does not, and its Path ("$.start", "$.keyIds[2]") names the field.
        if (ex.InnerException is JsonException)
        {
            return $"the request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): a JSON object is required";
        }

        var path = ex.Path;
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return "the request body must be a JSON object";
        }

        var field = path[2..];
        var end = field.IndexOfAny(['[', '.']);
        if (end >= 0)
        {
            field = field[..end];
        }

        var expected = fieldTypes.FirstOrDefault(f => string.Equals(f.Key, field, StringComparison.OrdinalIgnoreCase));
        return expected.Key is null
            ? $"field '{field}' has an invalid value"
            : $"field '{expected.Key}' has the wrong type: it must be {expected.Value}";
    }
}
