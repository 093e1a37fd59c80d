using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Testing.FakeLlm;

public sealed partial class FakeLlmServer
{
    private const string AzureAccessDenied =
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

    private const string OpenAiMissingKey =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.";

    /// <summary>
    /// Which provider a path belongs to. <c>GET /v1/models</c> exists at both OpenAI and Anthropic;
    /// like a client would, the credential header tells them apart.
    /// </summary>
    private static FakeLlmProvider Classify(HttpRequest request)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/model", StringComparison.Ordinal))
        {
            return FakeLlmProvider.Bedrock;
        }

        if (path.StartsWithSegments("/openai", StringComparison.OrdinalIgnoreCase))
        {
            return FakeLlmProvider.Azure;
        }

        if (path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase)
            || path.Equals("/v1/complete", StringComparison.OrdinalIgnoreCase)
            || (path.StartsWithSegments("/v1/models", StringComparison.OrdinalIgnoreCase)
                && request.Headers.ContainsKey("x-api-key")
                && !request.Headers.ContainsKey(HeaderNames.Authorization)))
        {
            return FakeLlmProvider.Anthropic;
        }

        return path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) ? FakeLlmProvider.OpenAi : FakeLlmProvider.None;
    }

    /// <summary>Writes the provider's rejection and returns false when the credentials are missing or wrong.</summary>
    private static async Task<bool> AuthenticateAsync(FakeLlmExchange x)
    {
        var headers = x.Context.Request.Headers;
        var settings = x.Settings;
        switch (x.Provider)
        {
            case FakeLlmProvider.OpenAi:
            {
                var token = BearerToken(headers);
                if (string.IsNullOrEmpty(token))
                {
                    await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status401Unauthorized, OpenAiMissingKey);
                    return false;
                }

                if (settings.ExpectedOpenAiApiKey is { } expected && !string.Equals(token, expected, StringComparison.Ordinal))
                {
                    await FakeLlmResponses.WriteErrorAsync(
                        x,
                        StatusCodes.Status401Unauthorized,
                        $"Incorrect API key provided: {Mask(token)}. You can find your API key at https://platform.openai.com/account/api-keys.",
                        code: "invalid_api_key");
                    return false;
                }

                return true;
            }

            case FakeLlmProvider.Azure:
            {
                // Azure also accepts a Microsoft Entra token as Bearer; a configured key means the test wants api-key.
                var apiKey = headers["api-key"].ToString();
                var accepted = settings.ExpectedAzureApiKey is { } expected
                    ? string.Equals(apiKey, expected, StringComparison.Ordinal)
                    : apiKey.Length > 0 || !string.IsNullOrEmpty(BearerToken(headers));
                if (!accepted)
                {
                    await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status401Unauthorized, AzureAccessDenied);
                    return false;
                }

                return true;
            }

            case FakeLlmProvider.Anthropic:
            {
                var apiKey = headers["x-api-key"].ToString();
                if (apiKey.Length == 0)
                {
                    await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status401Unauthorized, "x-api-key header is required");
                    return false;
                }

                if (settings.ExpectedAnthropicApiKey is { } expected && !string.Equals(apiKey, expected, StringComparison.Ordinal))
                {
                    await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status401Unauthorized, "invalid x-api-key");
                    return false;
                }

                // Anthropic rejects a missing version with 400, not 401.
                if (headers["anthropic-version"].ToString().Length == 0)
                {
                    await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status400BadRequest, "anthropic-version: header is required");
                    return false;
                }

                return true;
            }

            default:
                return true;
        }
    }

    private static string? BearerToken(IHeaderDictionary headers)
    {
        var value = headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? value[Scheme.Length..].Trim() : null;
    }

    /// <summary>OpenAI echoes a wrong key with its middle masked.</summary>
    private static string Mask(string key) => key.Length <= 8 ? "***" : $"{key[..3]}***{key[^4..]}";
}
