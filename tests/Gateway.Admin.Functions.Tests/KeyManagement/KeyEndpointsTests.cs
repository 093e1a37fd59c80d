using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Domain.Keys;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Tests.KeyManagement;

/// <summary><c>PUT</c>, <c>PATCH</c> and <c>DELETE /api/key-management/keys</c> against real PostgreSQL and Redis.</summary>
public sealed class KeyEndpointsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;
    private readonly string _settingId = fixture.SettingId;

    [Fact]
    public async Task Create_EveryField_Returns200WithBricksLlmFieldsAndNoSecret()
    {
        // A key's policyId must name a policy.
        var policyId = (string)(await _api.OkAsync(HttpMethod.Post, "/api/policies", """{"name":"for the full key"}"""))["id"]!;
        var body = $$"""
            {
              "name": "full key", "key": "raw-secret-full-key-1", "tags": ["team-a", "prod"],
              "settingIds": ["{{_settingId}}"], "costLimitInUsd": 12.5,
              "costLimitInUsdOverTime": 2, "costLimitInUsdUnit": "mo",
              "rateLimitOverTime": 30, "rateLimitUnit": "h", "ttl": "1h30m",
              "allowedPaths": [{"path": "/api/providers/openai/v1/chat/completions", "method": "post"}],
              "shouldLogRequest": true, "shouldLogResponse": true, "rotationEnabled": true, "policyId": "{{policyId}}"
            }
            """;

        var key = await _api.OkAsync(HttpMethod.Put, "/api/key-management/keys", body);

        Assert.True(Guid.TryParse((string?)key["keyId"], out _));
        Assert.Equal("full key", (string?)key["name"]);
        Assert.Equal(["team-a", "prod"], key["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(12.5m, (decimal)key["costLimitInUsd"]!);
        Assert.Equal(2m, (decimal)key["costLimitInUsdOverTime"]!);
        Assert.Equal("mo", (string?)key["costLimitInUsdUnit"]);
        Assert.Equal(30, (int)key["rateLimitOverTime"]!);
        Assert.Equal("h", (string?)key["rateLimitUnit"]);
        Assert.Equal("1h30m", (string?)key["ttl"]);
        Assert.Equal(_settingId, (string?)key["settingId"]);
        Assert.Equal([_settingId], key["settingIds"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("/api/providers/openai/v1/chat/completions", (string?)key["allowedPaths"]![0]!["path"]);
        Assert.Equal("POST", (string?)key["allowedPaths"]![0]!["method"]);
        Assert.True((bool)key["shouldLogRequest"]!);
        Assert.True((bool)key["shouldLogResponse"]!);
        Assert.True((bool)key["rotationEnabled"]!);
        Assert.Equal(policyId, (string?)key["policyId"]);
        Assert.False((bool)key["revoked"]!);
        Assert.Equal(string.Empty, (string?)key["revokedReason"]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange((long)key["createdAt"]!, now - 60, now + 1);
        Assert.Equal((long)key["createdAt"]!, (long)key["updatedAt"]!);
        Assert.Null(key["key"]);
        Assert.Null(key["keyHash"]);
        Assert.DoesNotContain("raw-secret-full-key-1", key.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Minimal_UnsetLimitsAreZeroAndEmpty()
    {
        var key = await _api.CreateKeyAsync(_settingId);

        Assert.Equal(0m, (decimal)key["costLimitInUsd"]!);
        Assert.Equal(0, (int)key["rateLimitOverTime"]!);
        Assert.Equal(string.Empty, (string?)key["rateLimitUnit"]);
        Assert.Equal(string.Empty, (string?)key["ttl"]);
        Assert.Empty(key["tags"]!.AsArray());
        Assert.Empty(key["allowedPaths"]!.AsArray());
    }

    [Fact]
    public async Task Create_StoresOnlySha256OfSecret()
    {
        var key = await _api.CreateKeyAsync(_settingId, rawKey: "raw-secret-hash-check", extraJson: "\"isKeyNotHashed\": true");

        await using var db = _api.Database.CreateDbContext();
        var row = await db.Keys.AsNoTracking().SingleAsync(k => k.KeyId == (string)key["keyId"]!);
        Assert.Equal(ApiKeyHash.Compute("raw-secret-hash-check").ToHex(), row.KeyHash);
        var rawRow = await ReadRowAsTextAsync((string)key["keyId"]!);
        Assert.DoesNotContain("raw-secret-hash-check", rawRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DeprecatedSettingId_MergedIntoSettingIds()
    {
        var other = await _api.CreateSettingAsync("anthropic");
        var body = $$"""{"name":"n","key":"k-merge","settingId":"{{other}}","settingIds":["{{_settingId}}"]}""";

        var key = await _api.OkAsync(HttpMethod.Put, "/api/key-management/keys", body);

        Assert.Equal([other, _settingId], key["settingIds"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(other, (string?)key["settingId"]);
    }

    [Fact]
    public async Task Create_OnlyDeprecatedSettingId_IsAccepted()
    {
        var key = await _api.OkAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"n","key":"k-only-old","settingId":"{{_settingId}}"}""");

        Assert.Equal([_settingId], key["settingIds"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public async Task Create_DuplicateSecret_Returns400NamingKey()
    {
        await _api.CreateKeyAsync(_settingId, rawKey: "raw-secret-dup");

        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"again","key":"raw-secret-dup","settingIds":["{{_settingId}}"]}""", HttpStatusCode.BadRequest);

        Assert.Equal("/errors/validation", (string?)problem["type"]);
        Assert.StartsWith("key ", (string?)problem["detail"]);
        Assert.DoesNotContain("raw-secret-dup", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownSettingId_Returns400NamingSettingIds()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", """{"name":"n","key":"k-unknown","settingIds":["no-such-setting"]}""", HttpStatusCode.BadRequest);

        Assert.Contains("settingIds contains 'no-such-setting'", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_RequiredFieldsMissing_Returns400NamingEach()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", "{}", HttpStatusCode.BadRequest);

        var detail = (string)problem["detail"]!;
        Assert.Contains("name is required", detail);
        Assert.Contains("key is required", detail);
        Assert.Contains("settingIds is required", detail);
    }

    [Theory]
    [InlineData("\"rateLimitUnit\":\"m\"", "rateLimitOverTime is required")]
    [InlineData("\"rateLimitOverTime\":2", "rateLimitUnit is required")]
    [InlineData("\"rateLimitOverTime\":2,\"rateLimitUnit\":\"mo\"", "rateLimitUnit must be one of s, m, h, d")]
    [InlineData("\"rateLimitOverTime\":2,\"rateLimitUnit\":\"w\"", "rateLimitUnit must be one of")]
    [InlineData("\"rateLimitOverTime\":-1,\"rateLimitUnit\":\"m\"", "rateLimitOverTime must not be negative")]
    [InlineData("\"costLimitInUsdUnit\":\"d\"", "costLimitInUsdOverTime is required")]
    [InlineData("\"costLimitInUsdOverTime\":5", "costLimitInUsdUnit is required")]
    [InlineData("\"costLimitInUsdOverTime\":5,\"costLimitInUsdUnit\":\"s\"", "costLimitInUsdUnit must be one of m, h, d, mo")]
    [InlineData("\"costLimitInUsd\":-0.5", "costLimitInUsd must not be negative")]
    [InlineData("\"ttl\":\"2x\"", "ttl must be a positive duration")]
    [InlineData("\"ttl\":\"10\"", "ttl must be a positive duration")]
    [InlineData("\"ttl\":\"-5m\"", "ttl must be a positive duration")]
    [InlineData("\"allowedPaths\":[{\"path\":\"/api/x\"}]", "allowedPaths[0].method must be one of")]
    [InlineData("\"allowedPaths\":[{\"path\":\"api/x\",\"method\":\"GET\"}]", "allowedPaths[0].path must be a path starting with /")]
    [InlineData("\"allowedPaths\":[null]", "allowedPaths[0] must be an object")]
    [InlineData("\"tags\":[\"ok\",\"\"]", "tags[1] must be a non-empty string")]
    [InlineData("\"name\":\"   \"", "name is required")]
    public async Task Create_InvalidField_Returns400NamingIt(string fields, string expected)
    {
        var body = $$"""{"name":"n","key":"k-{{Guid.NewGuid():n}}","settingIds":["{{_settingId}}"],{{fields}}}""";

        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", body, HttpStatusCode.BadRequest);

        Assert.Equal("/errors/validation", (string?)problem["type"]);
        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("\"rateLimitOverTime\":\"two\"", "rateLimitOverTime must be an integer")]
    [InlineData("\"rateLimitOverTime\":2.5", "rateLimitOverTime must be an integer")]
    [InlineData("\"costLimitInUsd\":\"0.25\"", "costLimitInUsd must be a number")]
    [InlineData("\"costLimitInUsd\":true", "costLimitInUsd must be a number")]
    [InlineData("\"tags\":\"mykey\"", "tags must be an array")]
    [InlineData("\"tags\":[1]", "tags[0] must be a string")]
    [InlineData("\"allowedPaths\":[{\"path\":1,\"method\":\"GET\"}]", "allowedPaths[0].path must be a string")]
    [InlineData("\"allowedPaths\":{}", "allowedPaths must be an array")]
    [InlineData("\"shouldLogRequest\":\"yes\"", "shouldLogRequest must be true or false")]
    [InlineData("\"rateLimitOverTime\":99999999999", "rateLimitOverTime must be an integer")]
    public async Task Create_WrongJsonType_Returns400NamingField(string fields, string expected)
    {
        var body = $$"""{"name":"n","key":"k-{{Guid.NewGuid():n}}","settingIds":["{{_settingId}}"],{{fields}}}""";

        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", body, HttpStatusCode.BadRequest);

        Assert.Equal("/errors/json-unmarshal", (string?)problem["type"]);
        Assert.Equal(expected, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"name\":")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("{\"name\":\"a\",}")]
    public async Task Create_NotAJsonObject_Returns400(string body)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", body, HttpStatusCode.BadRequest);

        Assert.Equal("/errors/json-unmarshal", (string?)problem["type"]);
    }

    [Fact]
    public async Task Create_NoContentType_StillReadAsJson()
    {
        // BricksLLM never looked at Content-Type; scripts that omit it keep working.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/key-management/keys")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"name":"n","key":"k-no-ct","settingIds":["{{_settingId}}"]}""")),
        };
        using var response = await _api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Create_NulCharacterInString_Returns400NamingField()
    {
        var body = $$"""{"name":"a\u0000b","key":"k-nul","settingIds":["{{_settingId}}"]}""";

        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", body, HttpStatusCode.BadRequest);

        Assert.StartsWith("name must not contain the NUL character", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_BodyOverLimit_Returns413()
    {
        var body = $$"""{"name":"n","key":"k","settingIds":["{{_settingId}}"],"tags":["{{new string('a', 300 * 1024)}}"]}""";

        await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", body, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Update_SomeFields_ChangesOnlyThose()
    {
        var key = await _api.CreateKeyAsync(_settingId, extraJson: "\"tags\":[\"a\"],\"rateLimitOverTime\":5,\"rateLimitUnit\":\"s\",\"ttl\":\"2d\"");
        var keyId = (string)key["keyId"]!;

        var updated = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"name":"renamed","tags":["b","c"],"shouldLogResponse":true}""");

        Assert.Equal("renamed", (string?)updated["name"]);
        Assert.Equal(["b", "c"], updated["tags"]!.AsArray().Select(t => (string)t!));
        Assert.True((bool)updated["shouldLogResponse"]!);
        Assert.Equal(5, (int)updated["rateLimitOverTime"]!);
        Assert.Equal("s", (string?)updated["rateLimitUnit"]);
        Assert.Equal("2d", (string?)updated["ttl"]);
        Assert.Equal((long)key["createdAt"]!, (long)updated["createdAt"]!);
    }

    [Fact]
    public async Task Update_LimitsSetAndCleared()
    {
        var keyId = (string)(await _api.CreateKeyAsync(_settingId))["keyId"]!;

        var set = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}",
            """{"rateLimitOverTime":10,"rateLimitUnit":"m","costLimitInUsdOverTime":1.5,"costLimitInUsdUnit":"d","costLimitInUsd":3,"ttl":"10m"}""");
        Assert.Equal(10, (int)set["rateLimitOverTime"]!);
        Assert.Equal(1.5m, (decimal)set["costLimitInUsdOverTime"]!);
        Assert.Equal("10m", (string?)set["ttl"]);

        var cleared = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}",
            """{"rateLimitOverTime":0,"rateLimitUnit":"","costLimitInUsdOverTime":0,"costLimitInUsdUnit":"","costLimitInUsd":0,"ttl":""}""");
        Assert.Equal(0, (int)cleared["rateLimitOverTime"]!);
        Assert.Equal(string.Empty, (string?)cleared["rateLimitUnit"]);
        Assert.Equal(0m, (decimal)cleared["costLimitInUsdOverTime"]!);
        Assert.Equal(0m, (decimal)cleared["costLimitInUsd"]!);
        Assert.Equal(string.Empty, (string?)cleared["ttl"]);
    }

    [Theory]
    [InlineData("""{"rateLimitOverTime":10}""", "rateLimitUnit is required")]
    [InlineData("""{"rateLimitUnit":"m"}""", "rateLimitOverTime is required")]
    [InlineData("""{"costLimitInUsdUnit":"d"}""", "costLimitInUsdOverTime is required")]
    [InlineData("""{"rateLimitOverTime":0,"rateLimitUnit":"m"}""", "rateLimitOverTime is required when rateLimitUnit is given")]
    [InlineData("""{"ttl":"forever"}""", "ttl must be a positive duration")]
    [InlineData("""{"key":"new-secret"}""", "key cannot be changed")]
    [InlineData("""{"settingIds":[]}""", "settingIds must not be empty")]
    [InlineData("""{"settingIds":["nope"]}""", "settingIds contains 'nope'")]
    [InlineData("""{"name":""}""", "name is required")]
    public async Task Update_InvalidField_Returns400NamingIt(string body, string expected)
    {
        var keyId = (string)(await _api.CreateKeyAsync(_settingId))["keyId"]!;

        var problem = await _api.ProblemAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", body, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task Update_RevokeThenRestore_ReasonFollows()
    {
        var keyId = (string)(await _api.CreateKeyAsync(_settingId))["keyId"]!;

        var revoked = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"revoked":true,"revokedReason":"leaked"}""");
        Assert.True((bool)revoked["revoked"]!);
        Assert.Equal("leaked", (string?)revoked["revokedReason"]);

        var restored = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"revoked":false}""");
        Assert.False((bool)restored["revoked"]!);
        Assert.Equal(string.Empty, (string?)restored["revokedReason"]);
    }

    [Fact]
    public async Task Update_UnknownId_Returns404()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Patch, "/api/key-management/keys/no-such-key", """{"name":"x"}""", HttpStatusCode.NotFound);

        Assert.Equal("/errors/not-found", (string?)problem["type"]);
    }

    [Fact]
    public async Task Update_WrongJsonType_Returns400()
    {
        var keyId = (string)(await _api.CreateKeyAsync(_settingId))["keyId"]!;

        var problem = await _api.ProblemAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"revoked":"yes"}""", HttpStatusCode.BadRequest);

        Assert.Equal("revoked must be true or false", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Delete_ExistingKey_Returns200AndRemovesIt()
    {
        var keyId = (string)(await _api.CreateKeyAsync(_settingId))["keyId"]!;

        using var response = await _api.SendAsync(HttpMethod.Delete, $"/api/key-management/keys/{keyId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = _api.Database.CreateDbContext();
        Assert.False(await db.Keys.AnyAsync(k => k.KeyId == keyId));
        await _api.ProblemAsync(HttpMethod.Delete, $"/api/key-management/keys/{keyId}", null, HttpStatusCode.NotFound);
    }

    private async Task<string> ReadRowAsTextAsync(string keyId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select row_to_json(k)::text from keys k where key_id = @id", connection);
        command.Parameters.AddWithValue("id", keyId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
