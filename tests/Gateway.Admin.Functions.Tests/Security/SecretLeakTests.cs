using System.Net;
using System.Text;
using Gateway.Admin.Functions.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gateway.Admin.Functions.Tests.Security;

/// <summary>
/// The raw gateway key and provider credentials never appear in any response or any log line
/// (logs captured at Trace, including EF Core's SQL and Kestrel's), across every write and read,
/// including the failure paths that echo input.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private const string RawKey = "gw-raw-key-LEAKCHECK-5b2f9e1d";
    private const string OpenAiKey = "sk-proj-LEAKCHECK-openai-9f8e7d6c";
    private const string AzureKey = "azure-LEAKCHECK-credential-3c4d5e";
    private const string CustomToken = "custom-LEAKCHECK-token-1a2b3c";
    private const string Marker = "LEAKCHECK";

    private readonly List<string> _responses = [];
    private AdminApi _api = null!;

    public async Task InitializeAsync() => _api = await AdminApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task EveryEndpoint_SecretsInRequests_NeverInResponsesOrLogs()
    {
        var openAi = await SendAsync(HttpMethod.Put, "/api/provider-settings", $$$"""{"provider":"openai","setting":{"apikey":"{{{OpenAiKey}}}"}}""");
        var openAiId = Id(openAi);
        var azure = await SendAsync(HttpMethod.Post, "/api/provider-settings", $$$"""{"provider":"azure","setting":{"apiKey":"{{{AzureKey}}}","resourceName":"leak-test"}}""");
        await SendAsync(HttpMethod.Post, "/api/custom/providers", """{"provider":"leaky","authentication_param":"token","route_configs":[{"path":"/c","target_url":"https://x.test/c","model_location":"m","request_prompt_location":"p","response_completion_location":"c"}]}""");
        var custom = await SendAsync(HttpMethod.Post, "/api/provider-settings", $$$"""{"provider":"leaky","setting":{"token":"{{{CustomToken}}}"}}""");

        var key = await SendAsync(HttpMethod.Put, "/api/key-management/keys", $$$"""{"name":"leak","key":"{{{RawKey}}}","settingIds":["{{{openAiId}}}","{{{Id(azure)}}}","{{{Id(custom)}}}"]}""");
        var keyId = Id(key);

        // Failure paths: a duplicate key, a key with a bad field, a bad setting: none may echo a secret.
        await SendAsync(HttpMethod.Put, "/api/key-management/keys", $$$"""{"name":"dup","key":"{{{RawKey}}}","settingIds":["{{{openAiId}}}"]}""", HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Put, "/api/key-management/keys", $$$"""{"name":"bad","key":"{{{RawKey}}}-2","settingIds":["{{{openAiId}}}"],"ttl":"never"}""", HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Put, "/api/key-management/keys", $$$"""{"name":"bad","key":"{{{RawKey}}}-3","settingIds":"{{{openAiId}}}"}""", HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, "/api/provider-settings", $$$"""{"provider":"azure","setting":{"apikey":"{{{AzureKey}}}","resourceName":"bad host/"}}""", HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, "/api/provider-settings", $$$"""{"provider":"nope","setting":{"apikey":"{{{OpenAiKey}}}"}}""", HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", $$$"""{"key":"{{{RawKey}}}"}""", HttpStatusCode.BadRequest);

        // Reads and updates.
        await SendAsync(HttpMethod.Patch, $"/api/provider-settings/{openAiId}", $$$"""{"setting":{"apikey":"{{{OpenAiKey}}}-rotated"}}""");
        await SendAsync(HttpMethod.Get, "/api/provider-settings");
        await SendAsync(HttpMethod.Get, $"/api/provider-settings?ids={openAiId}");
        await SendAsync(HttpMethod.Get, "/api/key-management/keys?tag=x&provider=openai");
        await SendAsync(HttpMethod.Get, $"/api/key-management/keys?keyIds={keyId}");
        await SendAsync(HttpMethod.Post, "/api/v2/key-management/keys", "{}");
        await SendAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"revoked":true,"revokedReason":"test"}""");
        await SendAsync(HttpMethod.Delete, $"/api/key-management/keys/{keyId}");

        Assert.NotEmpty(_api.Logs.Lines);
        Assert.Contains(_api.Logs.Lines, l => l.Level == LogLevel.Debug && l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        foreach (var secret in new[] { RawKey, OpenAiKey, AzureKey, CustomToken, Marker })
        {
            Assert.DoesNotContain(_responses, r => r.Contains(secret, StringComparison.Ordinal));
            var leaked = _api.Logs.Lines.FirstOrDefault(l => l.Text.Contains(secret, StringComparison.Ordinal));
            Assert.True(leaked is null, $"log line leaks a secret: [{leaked?.Category}] {leaked?.Text}");
        }
    }

    private static string Id(string json) => (string)System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject().First(p => p.Key is "id" or "keyId").Value!;

    private async Task<string> SendAsync(HttpMethod method, string path, string? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _api.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        _responses.Add(string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}")) + "\n" + text);
        return text;
    }
}
