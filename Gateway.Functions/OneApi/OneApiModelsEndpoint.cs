using System.Buffers;
using System.Text.Json;
using Gateway.Domain.Keys;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Pipeline.Steps;
using Gateway.Functions.Providers;

namespace Gateway.Functions.OneApi;

/// <summary>
/// <c>GET /api/v1/models</c>: what the key can reach through the one API, in OpenAI's list shape.
/// A setting's <c>allowedModels</c> are listed by name (as <c>provider/model</c> when two providers
/// list the same one); a setting that allows every model is listed as <c>provider/*</c>.
/// </summary>
internal static class OneApiModelsEndpoint
{
    public static IEndpointRouteBuilder MapOneApiModels(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/models", ListAsync).RequireCors(ProxyEndpoints.CorsPolicy);
        return endpoints;
    }

    private static async Task ListAsync(HttpContext http, IApiKeyStore keys, TimeProvider time)
    {
        var rawKey = GatewayKeyReader.Read(http.Request.Headers);
        if (rawKey is null)
        {
            await ProxyErrorWriter.WriteAsync(http, ApiStyle.OpenAI, ProxyOutcome.Unauthorized("api key is missing"));
            return;
        }

        var lookup = await keys.LookupAsync(ApiKeyHash.Compute(rawKey), http.RequestAborted);
        if (lookup.Key is not { } key || key.Revoked || KeyExpiry.IsExpired(key, time.GetUtcNow()))
        {
            await ProxyErrorWriter.WriteAsync(http, ApiStyle.OpenAI, ProxyOutcome.Unauthorized(lookup.Key is null ? "api key is not found" : "api key is not active"));
            return;
        }

        // model → providers that list it, in the key's setting order.
        var listed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var id in key.SettingIds)
        {
            if (!lookup.Snapshot.ProviderSettings.TryGetValue(id, out var setting))
            {
                continue;
            }

            IEnumerable<string> models = setting.AllowedModels.Count > 0 ? setting.AllowedModels : [setting.Provider + "/*"];
            foreach (var model in models)
            {
                if (!listed.TryGetValue(model, out var providers))
                {
                    listed[model] = providers = [];
                    order.Add(model);
                }

                if (!providers.Contains(setting.Provider, StringComparer.Ordinal))
                {
                    providers.Add(setting.Provider);
                }
            }
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var model in order)
            {
                var providers = listed[model];
                foreach (var provider in providers)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", providers.Count > 1 ? provider + "/" + model : model);
                    writer.WriteString("object", "model");
                    writer.WriteNumber("created", 0);
                    writer.WriteString("owned_by", provider);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        http.Response.ContentType = "application/json";
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
    }
}
