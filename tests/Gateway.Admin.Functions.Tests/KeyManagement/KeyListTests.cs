using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;

namespace Gateway.Admin.Functions.Tests.KeyManagement;

/// <summary>The filters of <c>GET /api/key-management/keys</c>: tag, tags, keyIds, provider.</summary>
public sealed class KeyListTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;
    private readonly string _settingId = fixture.SettingId;

    [Fact]
    public async Task List_NoFilter_Returns400MissingFilters()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Get, "/api/key-management/keys", null, HttpStatusCode.BadRequest);

        Assert.Equal("/errors/missing-filteres", (string?)problem["type"]);
    }

    [Fact]
    public async Task List_ByTag_ReturnsKeysCarryingIt()
    {
        var tag = Unique();
        var tagged = await CreateAsync($"\"tags\":[\"{tag}\",\"other\"]");
        await CreateAsync("\"tags\":[\"other\"]");

        var keys = await ListAsync($"?tag={tag}");

        Assert.Equal([(string)tagged["keyId"]!], keys);
    }

    [Fact]
    public async Task List_ByTags_RequiresAllOfThem()
    {
        var (a, b) = (Unique(), Unique());
        var both = await CreateAsync($"\"tags\":[\"{a}\",\"{b}\",\"x\"]");
        await CreateAsync($"\"tags\":[\"{a}\"]");
        await CreateAsync($"\"tags\":[\"{b}\"]");

        Assert.Equal([(string)both["keyId"]!], await ListAsync($"?tags={a}&tags={b}"));
        Assert.Equal([(string)both["keyId"]!], await ListAsync($"?tags[]={a}&tags[]={b}"));
        Assert.Equal([(string)both["keyId"]!], await ListAsync($"?tag={a}&tags={b}"));
    }

    [Fact]
    public async Task List_ByKeyIds_ReturnsThoseKeys()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();
        await CreateAsync();

        var keys = await ListAsync($"?keyIds={first["keyId"]}&keyIds={second["keyId"]}&keyIds=unknown");

        Assert.Equal(new[] { (string)first["keyId"]!, (string)second["keyId"]! }.Order(), keys.Order());
    }

    [Fact]
    public async Task List_ByProvider_ReturnsKeysWithASettingOfThatProvider()
    {
        var vllm = await _api.CreateSettingAsync("vllm");
        var withVllm = await _api.CreateKeyAsync(vllm);
        var withBoth = await _api.OkAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"both","key":"k-{{Unique()}}","settingIds":["{{_settingId}}","{{vllm}}"]}""");
        await CreateAsync();

        var keys = await ListAsync("?provider=vllm");

        Assert.Equal(new[] { (string)withVllm["keyId"]!, (string)withBoth["keyId"]! }.Order(), keys.Order());
    }

    [Fact]
    public async Task List_FiltersCombine_WithAnd()
    {
        var tag = Unique();
        var match = await CreateAsync($"\"tags\":[\"{tag}\"]");
        var otherTagged = await CreateAsync($"\"tags\":[\"{tag}\"]");

        var keys = await ListAsync($"?tag={tag}&keyIds={match["keyId"]}&provider=openai");

        Assert.Equal([(string)match["keyId"]!], keys);
        Assert.Empty(await ListAsync($"?tag={tag}&keyIds={otherTagged["keyId"]}&provider=anthropic"));
    }

    [Fact]
    public async Task List_UnknownTag_ReturnsEmptyArray()
        => Assert.Empty(await ListAsync($"?tag={Unique()}"));

    [Fact]
    public async Task List_NulInQuery_Returns400()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Get, "/api/key-management/keys?tag=a%00b", null, HttpStatusCode.BadRequest);

        Assert.Contains("tag must not contain the NUL character", (string?)problem["detail"]);
    }

    private static string Unique() => Guid.NewGuid().ToString("n")[..12];

    private Task<JsonObject> CreateAsync(string? extraJson = null) => _api.CreateKeyAsync(_settingId, extraJson: extraJson);

    private async Task<List<string>> ListAsync(string query)
    {
        var keys = await _api.OkAsync(HttpMethod.Get, "/api/key-management/keys" + query);
        return [.. keys.AsArray().Select(k => (string)k!["keyId"]!)];
    }
}
