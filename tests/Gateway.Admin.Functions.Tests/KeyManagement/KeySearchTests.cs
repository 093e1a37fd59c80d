using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;

namespace Gateway.Admin.Functions.Tests.KeyManagement;

/// <summary><c>POST /api/v2/key-management/keys</c>. This class's database holds only the keys its tests create, each under its own tag.</summary>
public sealed class KeySearchTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;
    private readonly string _settingId = fixture.SettingId;

    [Fact]
    public async Task Search_EmptyBody_ReturnsAllKeysNewestFirst()
    {
        await _api.CreateKeyAsync(_settingId);

        var result = await _api.OkAsync(HttpMethod.Post, "/api/v2/key-management/keys", "{}");

        var created = result["keys"]!.AsArray().Select(k => (long)k!["createdAt"]!).ToList();
        Assert.NotEmpty(created);
        Assert.Equal(created.OrderDescending(), created);
        Assert.Null(result["count"]);
    }

    [Fact]
    public async Task Search_PagedWithCount_CountsAllMatches()
    {
        var tag = Unique();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((string)(await _api.CreateKeyAsync(_settingId, extraJson: $"\"tags\":[\"{tag}\"]"))["keyId"]!);
        }

        var page = await _api.OkAsync(HttpMethod.Post, "/api/v2/key-management/keys", $$"""{"tags":["{{tag}}"],"limit":2,"offset":1,"order":"asc","returnCount":true}""");
        var all = await _api.OkAsync(HttpMethod.Post, "/api/v2/key-management/keys", $$"""{"tags":["{{tag}}"],"order":"ASC"}""");

        Assert.Equal(5, (int)page["count"]!);
        var allIds = all["keys"]!.AsArray().Select(k => (string)k!["keyId"]!).ToList();
        Assert.Equal(ids.Order(), allIds.Order());
        Assert.Equal(allIds.Skip(1).Take(2), page["keys"]!.AsArray().Select(k => (string)k!["keyId"]!));
    }

    [Fact]
    public async Task Search_ByNameRevokedAndKeyIds_Filters()
    {
        var tag = Unique();
        var alpha = await _api.CreateKeyAsync(_settingId, extraJson: $"\"tags\":[\"{tag}\"]", name: "Alpha_Service 100%");
        var beta = await _api.CreateKeyAsync(_settingId, extraJson: $"\"tags\":[\"{tag}\"]", name: "beta service");
        await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{beta["keyId"]}", """{"revoked":true}""");

        Assert.Equal([(string)alpha["keyId"]!], await SearchAsync($$"""{"tags":["{{tag}}"],"name":"alpha_service 100%"}"""));
        Assert.Empty(await SearchAsync($$"""{"tags":["{{tag}}"],"name":"alpha%service"}"""));
        Assert.Equal([(string)beta["keyId"]!], await SearchAsync($$"""{"tags":["{{tag}}"],"revoked":true}"""));
        Assert.Equal([(string)alpha["keyId"]!], await SearchAsync($$"""{"tags":["{{tag}}"],"revoked":false}"""));
        Assert.Equal([(string)beta["keyId"]!], await SearchAsync($$"""{"keyIds":["{{beta["keyId"]}}"],"name":"SERVICE"}"""));
    }

    [Theory]
    [InlineData("""{"order":"sideways"}""", "order must be asc or desc")]
    [InlineData("""{"limit":-1}""", "limit must not be negative")]
    [InlineData("""{"offset":-5}""", "offset must not be negative")]
    [InlineData("""{"tags":[""]}""", "tags[0] must be a non-empty string")]
    public async Task Search_InvalidField_Returns400NamingIt(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/v2/key-management/keys", body, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("""{"limit":"10"}""", "limit must be an integer")]
    [InlineData("""{"revoked":"false"}""", "revoked must be true or false")]
    [InlineData("""{"keyIds":"abc"}""", "keyIds must be an array")]
    public async Task Search_WrongJsonType_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/v2/key-management/keys", body, HttpStatusCode.BadRequest);

        Assert.Equal(expected, (string?)problem["detail"]);
    }

    private static string Unique() => Guid.NewGuid().ToString("n")[..12];

    private async Task<List<string>> SearchAsync(string body)
    {
        var result = await _api.OkAsync(HttpMethod.Post, "/api/v2/key-management/keys", body);
        return [.. result["keys"]!.AsArray().Select(k => (string)k!["keyId"]!)];
    }
}
