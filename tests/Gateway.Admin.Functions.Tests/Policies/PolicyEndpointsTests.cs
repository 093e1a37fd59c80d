using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Domain.Config;
using Gateway.Domain.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Tests.Policies;

/// <summary><c>/api/policies</c>: BricksLLM's create, update and list, validation naming the field, a key's <c>policyId</c>, the config cache.</summary>
public sealed class PolicyEndpointsTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api = fixture.Api;

    [Fact]
    public async Task Create_Valid_ReturnsBricksLlmShapeStoredAndCached()
    {
        const string body = """
            {"name":"pii","tags":["team-a","prod"],
             "config":{"rules":{"email":"allow_but_redact","credit_debit_number":"block","phone":"tokenize"}},
             "regexConfig":{"rules":[{"definition":"PROJ-\\d{4}","action":"allow_but_warn"}]},
             "customConfig":{"rules":[{"definition":"talks about salaries","action":"block"}]},
             "scanResponses":true}
            """;

        var policy = (await _api.OkAsync(HttpMethod.Post, "/api/policies", body)).AsObject();

        var id = (string)policy["id"]!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(["id", "name", "tags", "createdAt", "updatedAt", "config", "regexConfig", "customConfig", "scanResponses", "failOpen"], policy.Select(p => p.Key));
        Assert.Equal("allow_but_redact", (string?)policy["config"]!["rules"]!["email"]);
        Assert.Equal("PROJ-\\d{4}", (string?)policy["regexConfig"]!["rules"]![0]!["definition"]);
        Assert.Equal("block", (string?)policy["customConfig"]!["rules"]![0]!["action"]);
        Assert.True((bool)policy["scanResponses"]!);
        Assert.True((bool)policy["failOpen"]!);
        await using (var db = _api.Database.CreateDbContext())
        {
            var row = await db.Policies.SingleAsync(p => p.Id == id);
            Assert.Equal("tokenize", row.Config!.Rules[PiiEntity.Phone]);
        }

        await using var redis = _api.CreateRedis();
        var (_, data) = await new ConfigCacheReader(redis).ReadAsync();
        var cached = Assert.Single(data.Policies, p => p.Id == id);
        Assert.Equal("block", cached.Config!.Rules[PiiEntity.CreditDebitNumber]);
        Assert.True(cached.ScanResponses);
    }

    [Theory]
    [InlineData("""{"config":{"rules":{}}}""", "name is required")]
    [InlineData("""{"name":"n","config":{"rules":{"shoe_size":"block"}}}""", "config.rules.shoe_size is not a known entity")]
    [InlineData("""{"name":"n","config":{"rules":{"email":"delete"}}}""", "config.rules.email must be one of block, allow_but_warn, allow_but_redact, allow, tokenize")]
    [InlineData("""{"name":"n","regexConfig":{"rules":[{"definition":"([a-z","action":"block"}]}}""", "regexConfig.rules[0].definition is not a valid regular expression")]
    [InlineData("""{"name":"n","regexConfig":{"rules":[{"action":"block"}]}}""", "regexConfig.rules[0].definition is required")]
    [InlineData("""{"name":"n","customConfig":{"rules":[{"definition":"x","action":"maybe"}]}}""", "customConfig.rules[0].action must be one of")]
    [InlineData("""{"name":"n","tags":[""]}""", "tags[0] must be a non-empty string")]
    public async Task Create_Invalid_Returns400NamingField(string body, string expected)
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/policies", body, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task Update_ChangesGivenFieldsOnly_UnknownIdIs404()
    {
        var created = await _api.OkAsync(HttpMethod.Post, "/api/policies", """{"name":"before","tags":["t"],"config":{"rules":{"email":"block"}}}""");
        var id = (string)created["id"]!;

        var updated = await _api.OkAsync(HttpMethod.Patch, $"/api/policies/{id}", """{"name":"after","config":{"rules":{"ssn":"allow_but_warn"}},"failOpen":false}""");

        Assert.Equal("after", (string?)updated["name"]);
        Assert.Equal(["t"], updated["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(new JsonObject { ["ssn"] = "allow_but_warn" }.ToJsonString(), updated["config"]!["rules"]!.ToJsonString());
        Assert.False((bool)updated["failOpen"]!);
        Assert.True((long)updated["updatedAt"]! >= (long)created["updatedAt"]!);
        await _api.ProblemAsync(HttpMethod.Patch, "/api/policies/nope", """{"name":"x"}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_ByTags_ReturnsPoliciesCarryingAll()
    {
        var tag = Guid.NewGuid().ToString("n");
        var both = (string)(await _api.OkAsync(HttpMethod.Post, "/api/policies", $$"""{"name":"both","tags":["{{tag}}","x"]}"""))["id"]!;
        await _api.OkAsync(HttpMethod.Post, "/api/policies", $$"""{"name":"one","tags":["{{tag}}"]}""");

        var filtered = await _api.OkAsync(HttpMethod.Get, $"/api/policies?tags={tag}&tags[]=x");
        var all = await _api.OkAsync(HttpMethod.Get, "/api/policies");

        Assert.Equal([both], filtered.AsArray().Select(p => (string)p!["id"]!));
        Assert.True(all.AsArray().Count >= 2);
    }

    [Fact]
    public async Task Key_PolicyId_MustNameAPolicy()
    {
        var policyId = (string)(await _api.OkAsync(HttpMethod.Post, "/api/policies", """{"name":"for keys"}"""))["id"]!;

        var key = await _api.CreateKeyAsync(fixture.SettingId, extraJson: $"\"policyId\":\"{policyId}\"");
        var problem = await _api.ProblemAsync(
            HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"k","key":"k-{{Guid.NewGuid():n}}","settingIds":["{{fixture.SettingId}}"],"policyId":"missing"}""", HttpStatusCode.BadRequest);
        var patch = await _api.ProblemAsync(
            HttpMethod.Patch, $"/api/key-management/keys/{(string)key["keyId"]!}", """{"policyId":"missing"}""", HttpStatusCode.BadRequest);

        Assert.Equal(policyId, (string?)key["policyId"]);
        Assert.Contains("policyId names no policy", (string?)problem["detail"]);
        Assert.Contains("policyId names no policy", (string?)patch["detail"]);
    }
}
