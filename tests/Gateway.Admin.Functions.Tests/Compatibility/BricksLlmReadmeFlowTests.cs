using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Domain.Keys;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Tests.Compatibility;

/// <summary>
/// BricksLLM's README "Getting Started" steps 4 and 5, with the bodies exactly as the README
/// writes them (tabs and all), sent the way its curl commands send them.
/// </summary>
public sealed class BricksLlmReadmeFlowTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    // Step 4 - Create a provider setting.
    private const string Step4 = """
        {
                  "provider":"openai",
                  "setting": {
                     "apikey": "YOUR_OPENAI_KEY"
                  }
              }
        """;

    // Step 5 - Create a Bricks API key (ID_FROM_STEP_FOUR replaced by the id step 4 returned).
    private const string Step5 = "{\n\t      \"name\": \"My Secret Key\",\n\t      \"key\": \"my-secret-key\",\n\t      \"tags\": [\"mykey\"],\n        \"settingIds\": [\"ID_FROM_STEP_FOUR\"],\n        \"rateLimitOverTime\": 2,\n        \"rateLimitUnit\": \"m\",\n        \"costLimitInUsd\": 0.25\n      }";

    private readonly AdminApi _api = fixture.Api;

    [Fact]
    public async Task ReadmeGettingStarted_Steps4And5_CreateSettingThenRateAndSpendLimitedKey()
    {
        var setting = await CurlAsync(HttpMethod.Put, "/api/provider-settings", Step4);
        var settingId = (string)setting["id"]!;
        Assert.Equal("openai", (string?)setting["provider"]);
        Assert.DoesNotContain("YOUR_OPENAI_KEY", setting.ToJsonString(), StringComparison.Ordinal);

        var key = await CurlAsync(HttpMethod.Put, "/api/key-management/keys", Step5.Replace("ID_FROM_STEP_FOUR", settingId, StringComparison.Ordinal));

        Assert.Equal("My Secret Key", (string?)key["name"]);
        Assert.Equal(["mykey"], key["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal([settingId], key["settingIds"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(2, (int)key["rateLimitOverTime"]!);
        Assert.Equal("m", (string?)key["rateLimitUnit"]);
        Assert.Equal(0.25m, (decimal)key["costLimitInUsd"]!);
        Assert.False((bool)key["revoked"]!);
        Assert.DoesNotContain("my-secret-key", key.ToJsonString(), StringComparison.Ordinal);

        // What the proxy will authenticate "Authorization: Bearer my-secret-key" against.
        await using var db = _api.Database.CreateDbContext();
        var stored = await db.Keys.AsNoTracking().SingleAsync(k => k.KeyId == (string)key["keyId"]!);
        Assert.Equal(ApiKeyHash.Compute("my-secret-key").ToHex(), stored.KeyHash);

        // And the README's "Get keys" by tag finds it.
        var listed = await _api.OkAsync(HttpMethod.Get, "/api/key-management/keys?tag=mykey");
        Assert.Contains((string)key["keyId"]!, listed.AsArray().Select(k => (string)k!["keyId"]!));
    }

    /// <summary>As <c>curl -X PUT -H "Content-Type: application/json" -d '...'</c> plus the admin header.</summary>
    private async Task<JsonNode> CurlAsync(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _api.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }
}
