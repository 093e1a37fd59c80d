using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Tests.FailoverRoutes;

/// <summary><c>/api/routes</c>: create, list, get, delete, with BricksLLM's validation (and its defaults).</summary>
public sealed class RouteEndpointsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>, IAsyncLifetime
{
    private readonly AdminApi _api = fixture.Api;
    private string _keyId = null!;

    public async Task InitializeAsync()
    {
        // A key that can use both openai and azure.
        var azure = await _api.CreateSettingAsync("azure");
        var key = await _api.OkAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"route key","key":"k-{{Guid.NewGuid():n}}","settingIds":["{{fixture.SettingId}}","{{azure}}"]}""");
        _keyId = (string)key["keyId"]!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_Valid_ReturnsRouteWithDefaults()
    {
        var path = UniquePath();
        var body = $$"""
            {"name":"chat failover","path":"{{path}}","keyIds":["{{_keyId}}"],"retryStrategy":"constant",
             "cacheConfig":{"enabled":true},
             "steps":[
               {"provider":"azure","model":"gpt-4o","retries":2,"retryInterval":"500ms","params":{"deploymentId":"gpt4o","apiVersion":"2024-06-01"},"requestParams":{"temperature":0.2,"max_tokens":256,"stop":["\n"]} },
               {"provider":"openai","model":"gpt-4o-mini","timeout":"30s"}]}
            """;

        var route = await _api.OkAsync(HttpMethod.Post, "/api/routes", body);

        Assert.True(Guid.TryParse((string?)route["id"], out _));
        Assert.Equal("chat failover", (string?)route["name"]);
        Assert.Equal(path, (string?)route["path"]);
        Assert.Equal([_keyId], route["keyIds"]!.AsArray().Select(k => (string)k!));
        Assert.Equal("constant", (string?)route["retryStrategy"]);
        Assert.True((bool)route["cacheConfig"]!["enabled"]!);
        Assert.Equal("168h", (string?)route["cacheConfig"]!["ttl"]);
        var azure = route["steps"]![0]!;
        Assert.Equal("azure", (string?)azure["provider"]);
        Assert.Equal(2, (int)azure["retries"]!);
        Assert.Equal("500ms", (string?)azure["retryInterval"]);
        Assert.Equal("5m", (string?)azure["timeout"]);
        Assert.Equal("gpt4o", (string?)azure["params"]!["deploymentId"]);
        Assert.Equal(0.2, (double)azure["requestParams"]!["temperature"]!);
        Assert.Equal("30s", (string?)route["steps"]![1]!["timeout"]);
        Assert.True((long)route["createdAt"]! > 0);
    }

    [Theory]
    [InlineData("""{"path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m"}]}""", "name is required")]
    [InlineData("""{"name":"n","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m"}]}""", "path is required")]
    [InlineData("""{"name":"n","path":"no-slash","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m"}]}""", "path must start with /")]
    [InlineData("""{"name":"n","path":"PATH","steps":[{"provider":"openai","model":"m"}]}""", "keyIds is required")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["nope"],"steps":[{"provider":"openai","model":"m"}]}""", "keyIds contains 'nope', which is not a key id")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"]}""", "steps is required")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai-compatible","model":"m"}]}""", "steps[0].provider openai-compatible cannot serve a route step yet; use openai, azure, vllm, deepinfra, anthropic or bedrock")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"acme","model":"m"}]}""", "steps[0].provider must be openai, azure, vllm, deepinfra, anthropic or bedrock")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai"}]}""", "steps[0].model is required")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"azure","model":"m","params":{"apiVersion":"2024-06-01"}}]}""", "steps[0].params.deploymentId is required for azure")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"azure","model":"m"}]}""", "steps[0].params.apiVersion is required for azure")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m","retries":-1}]}""", "steps[0].retries must be between 0 and 10")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m","timeout":"soon"}]}""", "steps[0].timeout must be a positive duration")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m","requestParams":{"temperature":"hot"}}]}""", "steps[0].requestParams.temperature must be a number")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m","requestParams":{"stop":[1]}}]}""", "steps[0].requestParams.stop must be a string or a non-empty array of strings")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"steps":[{"provider":"openai","model":"m","requestParams":{"tools":[]}}]}""", "steps[0].requestParams.tools is not a supported request parameter")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"cacheConfig":{"enabled":true,"ttl":"721h"},"steps":[{"provider":"openai","model":"m"}]}""", "cacheConfig.ttl must be at most 720h")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"cacheConfig":{"enabled":true,"ttl":"1 week"},"steps":[{"provider":"openai","model":"m"}]}""", "cacheConfig.ttl must be a positive duration")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"retryStrategy":"random","steps":[{"provider":"openai","model":"m"}]}""", "retryStrategy must be exponential or constant")]
    [InlineData("""{"name":"n","path":"PATH","keyIds":["KEY"],"requestFormat":"xml","steps":[{"provider":"openai","model":"m"}]}""", "requestFormat must be openai_embeddings")]
    public async Task Create_Invalid_Returns400NamingField(string template, string expected)
    {
        var body = template.Replace("PATH", UniquePath(), StringComparison.Ordinal).Replace("KEY", _keyId, StringComparison.Ordinal);

        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/routes", body, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("""{"name":"n","path":"/p","keyIds":["k"],"steps":[{"provider":"openai","model":"m","retries":"3"}]}""", "steps[0].retries must be an integer")]
    [InlineData("""{"name":"n","path":"/p","keyIds":["k"],"steps":[{"provider":"azure","model":"m","params":{"apiVersion":2024}}]}""", "steps[0].params.apiVersion must be a string")]
    [InlineData("""{"name":"n","path":"/p","keyIds":["k"],"cacheConfig":{"enabled":"yes"},"steps":[]}""", "cacheConfig.enabled must be true or false")]
    public async Task Create_WrongJsonType_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/routes", body, HttpStatusCode.BadRequest);

        Assert.Equal(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_KeyWithoutSettingForStepProvider_Returns400()
    {
        var openAiOnly = (string)(await _api.CreateKeyAsync(fixture.SettingId))["keyId"]!;
        var body = $$"""{"name":"n","path":"{{UniquePath()}}","keyIds":["{{openAiOnly}}"],"steps":[{"provider":"azure","model":"gpt-4o","params":{"deploymentId":"d","apiVersion":"v"} }]}""";

        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/routes", body, HttpStatusCode.BadRequest);

        Assert.Contains($"keyIds contains key '{openAiOnly}', which has no azure provider setting", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_DuplicatePath_Returns400()
    {
        var path = UniquePath();
        await CreateAsync(path);

        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/routes", Body(path), HttpStatusCode.BadRequest);

        Assert.Contains($"path is already used: a route at {path} exists", (string?)problem["detail"]);
    }

    [Fact]
    public async Task GetAndList_ReturnTheRoute()
    {
        var created = await CreateAsync(UniquePath());
        var id = (string)created["id"]!;

        var one = await _api.OkAsync(HttpMethod.Get, $"/api/routes/{id}");
        var all = await _api.OkAsync(HttpMethod.Get, "/api/routes");

        Assert.Equal(created.ToJsonString(), one.ToJsonString());
        Assert.Contains(id, all.AsArray().Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task Get_UnknownId_Returns404RouteNotFound()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Get, "/api/routes/nope", null, HttpStatusCode.NotFound);

        Assert.Equal("/errors/route-not-found", (string?)problem["type"]);
    }

    [Fact]
    public async Task Delete_Existing_RemovesIt()
    {
        var id = (string)(await CreateAsync(UniquePath()))["id"]!;

        using var response = await _api.SendAsync(HttpMethod.Delete, $"/api/routes/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _api.ProblemAsync(HttpMethod.Get, $"/api/routes/{id}", null, HttpStatusCode.NotFound);
        await _api.ProblemAsync(HttpMethod.Delete, $"/api/routes/{id}", null, HttpStatusCode.NotFound);
        await using var db = _api.Database.CreateDbContext();
        Assert.False(await db.Routes.AnyAsync(r => r.Id == id));
    }

    private static string UniquePath() => "/team/" + Guid.NewGuid().ToString("n")[..10] + "/chat";

    private string Body(string path) => $$"""{"name":"r","path":"{{path}}","keyIds":["{{_keyId}}"],"steps":[{"provider":"openai","model":"gpt-4o"}]}""";

    private async Task<JsonObject> CreateAsync(string path) => (await _api.OkAsync(HttpMethod.Post, "/api/routes", Body(path))).AsObject();
}
