using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Routing;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Routing;

/// <summary>
/// The body a route step sends: the client's OpenAI-format body with the step's <c>model</c> and
/// <c>requestParams</c> written over it (BricksLLM's rule), and, for a stream the step's adapter
/// can report usage for, <c>stream_options.include_usage</c>.
/// </summary>
internal static class RouteRequestBody
{
    public static byte[]? Rewrite(ReadOnlySpan<byte> clientBody, RouteStep step, bool includeUsage)
    {
        ArgumentNullException.ThrowIfNull(step);
        JsonObject body;
        try
        {
            if (JsonNode.Parse(clientBody) is not JsonObject parsed)
            {
                return null;
            }

            body = parsed;
        }
        catch (JsonException)
        {
            return null;
        }

        body["model"] = step.Model;
        foreach (var (name, value) in step.RequestParams)
        {
            body[name] = JsonNode.Parse(value.GetRawText());
        }

        if (includeUsage)
        {
            if (body["stream_options"] is not JsonObject options)
            {
                options = [];
                body["stream_options"] = options;
            }

            options["include_usage"] = true;
        }

        return JsonSerializer.SerializeToUtf8Bytes(body, ForwardingJsonContext.Default.JsonObject);
    }
}
