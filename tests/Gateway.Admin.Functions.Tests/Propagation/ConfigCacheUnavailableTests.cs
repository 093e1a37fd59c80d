using System.Net;
using Gateway.Admin.Functions.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Tests.Propagation;

/// <summary>
/// Redis down during a write: the change is committed to PostgreSQL (the refresh timer will
/// propagate it) but the caller gets a 503 problem, not a 200, because proxies do not see it yet.
/// </summary>
public sealed class ConfigCacheUnavailableTests : IAsyncLifetime
{
    private AdminApi _api = null!;

    public async Task InitializeAsync()
        => _api = await AdminApi.StartAsync(settings => settings["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200,asyncTimeout=500,syncTimeout=500");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Write_RedisUnreachable_SavedAndAnswers503()
    {
        var problem = await _api.ProblemAsync(HttpMethod.Post, "/api/provider-settings", """{"provider":"openai","name":"while-redis-down","setting":{"apikey":"sk-redis-down-000000"}}""", HttpStatusCode.ServiceUnavailable);

        Assert.Equal("/errors/config-cache", (string?)problem["type"]);
        Assert.Contains("saved in PostgreSQL", (string?)problem["detail"]);
        await using var db = _api.Database.CreateDbContext();
        Assert.True(await db.ProviderSettings.AnyAsync(s => s.Name == "while-redis-down"));
    }

    [Fact]
    public async Task Read_RedisUnreachable_StillServedFromPostgres()
    {
        using var response = await _api.SendAsync(HttpMethod.Get, "/api/routes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
