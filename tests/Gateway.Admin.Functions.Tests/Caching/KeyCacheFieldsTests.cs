using System.Net;
using Gateway.Admin.Functions.Tests.Support;

namespace Gateway.Admin.Functions.Tests.Caching;

/// <summary>A key's response cache defaults through <c>/api/key-management/keys</c>.</summary>
public sealed class KeyCacheFieldsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;
    private readonly string _settingId = fixture.SettingId;

    [Fact]
    public async Task Create_WithCacheFields_ReturnsThem_AndDefaultsWhenAbsent()
    {
        var key = await _api.CreateKeyAsync(_settingId, extraJson: "\"tags\":[\"team\"],\"cacheMode\":\"Always\",\"cacheTtl\":\"24h\",\"cacheScope\":\"tag:team\"");
        var plain = await _api.CreateKeyAsync(_settingId);

        Assert.Equal(("always", "24h", "tag:team"), ((string?)key["cacheMode"], (string?)key["cacheTtl"], (string?)key["cacheScope"]));
        Assert.Equal(("auto", "", "key"), ((string?)plain["cacheMode"], (string?)plain["cacheTtl"], (string?)plain["cacheScope"]));
    }

    [Fact]
    public async Task Update_ChangesKeepsAndClears()
    {
        var keyId = (string)(await _api.CreateKeyAsync(_settingId, extraJson: "\"cacheMode\":\"never\",\"cacheTtl\":\"1h\""))["keyId"]!;

        var kept = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"name":"renamed"}""");
        var changed = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"cacheMode":"always","cacheTtl":""}""");

        Assert.Equal(("never", "1h"), ((string?)kept["cacheMode"], (string?)kept["cacheTtl"]));
        Assert.Equal(("always", ""), ((string?)changed["cacheMode"], (string?)changed["cacheTtl"]));
    }

    [Theory]
    [InlineData("\"cacheMode\":\"sometimes\"", "cacheMode must be auto, always or never")]
    [InlineData("\"cacheTtl\":\"forever\"", "cacheTtl must be a duration")]
    [InlineData("\"cacheTtl\":\"9000h\"", "cacheTtl must be a duration")]
    [InlineData("\"cacheScope\":\"everyone\"", "cacheScope must be key or tag:<tag>")]
    [InlineData("\"tags\":[\"a\"],\"cacheScope\":\"tag:b\"", "cacheScope names tag 'b', which is not one of the key's tags")]
    public async Task Create_InvalidCacheField_Returns400NamingIt(string fields, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"k","key":"{{Guid.NewGuid()}}","settingIds":["{{_settingId}}"],{{fields}}}""", HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_DroppingTheSharedTag_IsRefusedAndNothingChanges()
    {
        var keyId = (string)(await _api.CreateKeyAsync(_settingId, extraJson: "\"tags\":[\"team\"],\"cacheScope\":\"tag:team\""))["keyId"]!;

        var problem = await _api.ProblemAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"tags":["other"]}""", HttpStatusCode.BadRequest);
        var unchanged = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"name":"still"}""");

        Assert.Contains("cacheScope names tag 'team'", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(["team"], unchanged["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("tag:team", (string?)unchanged["cacheScope"]);
    }
}
