using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;

namespace Gateway.Admin.Functions.Tests.ApiDocs;

/// <summary>The OpenAPI document describes the whole admin API; the reference page is served from the app.</summary>
public sealed class ApiDocsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;

    [Fact]
    public async Task OpenApiDocument_DescribesEveryManagementEndpoint()
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };
        var document = JsonNode.Parse(await client.GetStringAsync("/api/openapi.json"))!;

        Assert.StartsWith("3.", (string?)document["openapi"]);
        Assert.Equal("Gateway admin API", (string?)document["info"]!["title"]);
        var paths = document["paths"]!.AsObject();
        var expected = new (string Path, string Method)[]
        {
            ("/api/key-management/keys", "put"), ("/api/key-management/keys", "get"),
            ("/api/key-management/keys/{keyId}", "patch"), ("/api/key-management/keys/{keyId}", "delete"),
            ("/api/v2/key-management/keys", "post"),
            ("/api/provider-settings", "post"), ("/api/provider-settings", "put"), ("/api/provider-settings", "get"),
            ("/api/provider-settings/{id}", "patch"),
            ("/api/custom/providers", "post"), ("/api/custom/providers", "get"), ("/api/custom/providers/{id}", "patch"),
            ("/api/routes", "post"), ("/api/routes", "get"), ("/api/routes/{id}", "get"), ("/api/routes/{id}", "delete"),
            ("/api/users", "post"), ("/api/users", "get"), ("/api/users", "patch"), ("/api/users/{id}", "patch"),
        };
        foreach (var (path, method) in expected)
        {
            Assert.True(paths[path]?[method] is not null, $"{method.ToUpperInvariant()} {path} is missing from the OpenAPI document");
        }

        var scheme = document["components"]!["securitySchemes"]!["AdminApiKey"]!;
        Assert.Equal("apiKey", (string?)scheme["type"]);
        Assert.Equal("header", (string?)scheme["in"]);
        Assert.Equal("X-API-KEY", (string?)scheme["name"]);
        var createKey = paths["/api/key-management/keys"]!["put"]!;
        Assert.NotNull(createKey["requestBody"]!["content"]!["application/json"]);
        var keySchema = document["components"]!["schemas"]!["KeyResponse"]!["properties"]!.AsObject();
        Assert.Contains("keyId", keySchema.Select(p => p.Key));
        Assert.DoesNotContain("keyHash", keySchema.Select(p => p.Key));
        Assert.DoesNotContain("key", keySchema.Select(p => p.Key));
    }

    [Fact]
    public async Task ReferencePage_ServedWithItsAssetsWithoutSecret()
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };

        using var page = await client.GetAsync("/api/docs");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"url\":\"api/openapi.json\"", html, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"([^\"]*scalar[^\"]*\\.js)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), html);
        Assert.False(script.StartsWith("http", StringComparison.Ordinal), "the reference page must not depend on a CDN: " + script);
        using var asset = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }
}
