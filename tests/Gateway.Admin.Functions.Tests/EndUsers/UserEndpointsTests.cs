using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;

namespace Gateway.Admin.Functions.Tests.EndUsers;

/// <summary><c>/api/users</c>: create, update by id or by userId and tags, list with filters.</summary>
public sealed class UserEndpointsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;

    [Fact]
    public async Task Create_EveryField_ReturnsUser()
    {
        var keyId = (string)(await _api.CreateKeyAsync(fixture.SettingId))["keyId"]!;
        var userId = Unique();
        var body = $$"""
            {"name":"Ada","userId":"{{userId}}","tags":["team-b","team-a","team-b"],"keyIds":["{{keyId}}"],
             "costLimitInUsd":5,"costLimitInUsdOverTime":1,"costLimitInUsdUnit":"d","rateLimitOverTime":10,"rateLimitUnit":"m",
             "ttl":"720h","allowedPaths":[{"path":"/api/providers/openai/v1/chat/completions","method":"POST"}],"allowedModels":["gpt-4o-mini"]}
            """;

        var user = await _api.OkAsync(HttpMethod.Post, "/api/users", body);

        Assert.True(Guid.TryParse((string?)user["id"], out _));
        Assert.Equal("Ada", (string?)user["name"]);
        Assert.Equal(userId, (string?)user["userId"]);
        Assert.Equal(["team-a", "team-b"], user["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal([keyId], user["keyIds"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(5m, (decimal)user["costLimitInUsd"]!);
        Assert.Equal("d", (string?)user["costLimitInUsdUnit"]);
        Assert.Equal(10, (int)user["rateLimitOverTime"]!);
        Assert.Equal("720h", (string?)user["ttl"]);
        Assert.Equal("POST", (string?)user["allowedPaths"]![0]!["method"]);
        Assert.Equal(["gpt-4o-mini"], user["allowedModels"]!.AsArray().Select(t => (string)t!));
        Assert.False((bool)user["revoked"]!);
        Assert.Equal(string.Empty, (string?)user["revokedReason"]);
        Assert.True((long)user["createdAt"]! > 0);
    }

    [Fact]
    public async Task Create_NoUserId_GetsAUuid()
    {
        var user = await _api.OkAsync(HttpMethod.Post, "/api/users", """{"name":"anonymous"}""");

        Assert.True(Guid.TryParse((string?)user["userId"], out _));
    }

    [Fact]
    public async Task Create_SameUserIdAndTags_Returns400_DifferentTagsAllowed()
    {
        var userId = Unique();
        await _api.OkAsync(HttpMethod.Post, "/api/users", $$"""{"userId":"{{userId}}","tags":["a","b"]}""");

        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/users", $$"""{"userId":"{{userId}}","tags":["b","a"]}""", HttpStatusCode.BadRequest);
        Assert.Contains("userId", (string?)problem["detail"]);
        await _api.OkAsync(HttpMethod.Post, "/api/users", $$"""{"userId":"{{userId}}","tags":["a"]}""");
    }

    [Theory]
    [InlineData("""{"keyIds":["nope"]}""", "keyIds contains 'nope', which is not a key id")]
    [InlineData("""{"rateLimitOverTime":3}""", "rateLimitUnit is required")]
    [InlineData("""{"costLimitInUsdOverTime":1,"costLimitInUsdUnit":"y"}""", "costLimitInUsdUnit must be one of m, h, d, mo")]
    [InlineData("""{"ttl":"1y"}""", "ttl must be a positive duration")]
    [InlineData("""{"allowedModels":[""]}""", "allowedModels[0] must be a non-empty string")]
    [InlineData("""{"allowedPaths":[{"path":"/x","method":"FETCH"}]}""", "allowedPaths[0].method must be one of")]
    public async Task Create_Invalid_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/users", body, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("""{"userId":42}""", "userId must be a string")]
    [InlineData("""{"rateLimitOverTime":"3"}""", "rateLimitOverTime must be an integer")]
    [InlineData("""{"allowedModels":"gpt-4o"}""", "allowedModels must be an array")]
    public async Task Create_WrongJsonType_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/users", body, HttpStatusCode.BadRequest);

        Assert.Equal(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task UpdateById_ChangesGivenFields()
    {
        var user = await CreateAsync(Unique(), "[\"t\"]");

        var updated = await _api.OkAsync(HttpMethod.Patch, $"/api/users/{user["id"]}",
            """{"name":"renamed","revoked":true,"revokedReason":"abuse","rateLimitOverTime":1,"rateLimitUnit":"s","allowedModels":["m1"]}""");

        Assert.Equal("renamed", (string?)updated["name"]);
        Assert.True((bool)updated["revoked"]!);
        Assert.Equal("abuse", (string?)updated["revokedReason"]);
        Assert.Equal(1, (int)updated["rateLimitOverTime"]!);
        Assert.Equal(["m1"], updated["allowedModels"]!.AsArray().Select(t => (string)t!));
        Assert.Equal((string?)user["userId"], (string?)updated["userId"]);
    }

    [Fact]
    public async Task UpdateById_UnknownId_Returns404()
        => await _api.ProblemAsync(HttpMethod.Patch, "/api/users/nope", """{"name":"x"}""", HttpStatusCode.NotFound);

    [Fact]
    public async Task UpdateById_InvalidLimit_Returns400()
    {
        var user = await CreateAsync(Unique(), "[]");

        var problem = await _api.ProblemAsync(HttpMethod.Patch, $"/api/users/{user["id"]}", """{"costLimitInUsdUnit":"d"}""", HttpStatusCode.BadRequest);

        Assert.Contains("costLimitInUsdOverTime is required", (string?)problem["detail"]);
    }

    [Fact]
    public async Task UpdateByUserIdAndTags_SelectsExactlyThatUser()
    {
        var userId = Unique();
        var teamA = await CreateAsync(userId, "[\"a\"]");
        var teamAb = await CreateAsync(userId, "[\"a\",\"b\"]");

        var updated = await _api.OkAsync(HttpMethod.Patch, $"/api/users?userId={userId}&tags=b&tags=a", """{"costLimitInUsd":2}""");

        Assert.Equal((string?)teamAb["id"], (string?)updated["id"]);
        Assert.Equal(2m, (decimal)updated["costLimitInUsd"]!);
        var listed = await _api.OkAsync(HttpMethod.Get, $"/api/users?userIds={teamA["id"]}");
        Assert.Equal(0m, (decimal)listed[0]!["costLimitInUsd"]!);
    }

    [Fact]
    public async Task UpdateByUserIdAndTags_NoMatch_Returns404_NoUserId_Returns400()
    {
        var userId = Unique();
        await CreateAsync(userId, "[\"a\"]");

        await _api.ProblemAsync(HttpMethod.Patch, $"/api/users?userId={userId}&tags=z", """{"name":"x"}""", HttpStatusCode.NotFound);
        var problem = await _api.ProblemAsync(HttpMethod.Patch, "/api/users?tags=a", """{"name":"x"}""", HttpStatusCode.BadRequest);
        Assert.Contains("userId is required", (string?)problem["detail"]);
    }

    [Fact]
    public async Task List_Filters_TagsKeyIdsUserIdsAndPaging()
    {
        var tag = Unique();
        var keyId = (string)(await _api.CreateKeyAsync(fixture.SettingId))["keyId"]!;
        var first = await CreateAsync(Unique(), $"[\"{tag}\",\"x\"]");
        var second = await _api.OkAsync(HttpMethod.Post, "/api/users", $$"""{"userId":"{{Unique()}}","tags":["{{tag}}"],"keyIds":["{{keyId}}"]}""");
        await CreateAsync(Unique(), "[\"x\"]");

        Assert.Equal(new[] { (string)first["id"]!, (string)second["id"]! }.Order(), (await ListAsync($"?tags={tag}")).Order());
        Assert.Equal([(string)first["id"]!], await ListAsync($"?tags={tag}&tags=x"));
        Assert.Equal([(string)second["id"]!], await ListAsync($"?keyIds={keyId}"));
        Assert.Equal([(string)second["id"]!], await ListAsync($"?userIds={second["userId"]}"));
        Assert.Equal([(string)first["id"]!], await ListAsync($"?userIds={first["id"]}"));
        var newestFirst = await ListAsync($"?tags={tag}");
        Assert.Equal(newestFirst.Skip(1), await ListAsync($"?tags={tag}&offset=1&limit=5"));
        Assert.Equal(newestFirst.Take(1), await ListAsync($"?tags={tag}&limit=1"));
    }

    [Theory]
    [InlineData("?offset=-1", "offset must be a non-negative integer")]
    [InlineData("?limit=ten", "limit must be a non-negative integer")]
    public async Task List_BadPaging_Returns400(string query, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Get, "/api/users" + query, null, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    private static string Unique() => "u-" + Guid.NewGuid().ToString("n")[..10];

    private async Task<JsonObject> CreateAsync(string userId, string tagsJson)
        => (await _api.OkAsync(HttpMethod.Post, "/api/users", $$"""{"userId":"{{userId}}","tags":{{tagsJson}}}""")).AsObject();

    private async Task<List<string>> ListAsync(string query)
    {
        var users = await _api.OkAsync(HttpMethod.Get, "/api/users" + query);
        return [.. users.AsArray().Select(u => (string)u!["id"]!)];
    }
}
