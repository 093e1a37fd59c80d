using Gateway.Admin.Functions.Tests.Support;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Route = Gateway.Domain.Routing.Route;

namespace Gateway.Admin.Functions.Tests.Persistence;

/// <summary>The one write path of configuration, against the admin app's own PostgreSQL database and Redis prefix.</summary>
public sealed class ConfigEntityStoreTests : IClassFixture<AdminApiFixture>
{
    private readonly AdminApi _api;

    public ConfigEntityStoreTests(AdminApiFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task Add_SameKeyHashTwice_SecondIsDuplicateAndNeitherCommittedNorCached()
    {
        var hash = ApiKeyHash.Compute("store-duplicate-" + Guid.NewGuid()).ToHex();
        var first = NewKey(hash);
        var second = NewKey(hash);

        Assert.Equal(ConfigChangeOutcome.Done, (await AddAsync(first)).Outcome);
        var change = await AddAsync(second);

        Assert.Equal(new ConfigChange(ConfigChangeOutcome.Duplicate, ConfigEntityKind.Key, second.KeyId), change);
        await using var db = _api.Database.CreateDbContext();
        Assert.False(await db.Keys.AnyAsync(k => k.KeyId == second.KeyId));
        Assert.True(await CachedAsync(ConfigEntityKind.Key, first.KeyId));
        Assert.False(await CachedAsync(ConfigEntityKind.Key, second.KeyId));
    }

    [Fact]
    public async Task Save_SeveralChangedEntities_CommitsAllAndWritesEachThrough()
    {
        var key = NewKey(ApiKeyHash.Compute("store-several-" + Guid.NewGuid()).ToHex());
        Assert.True((await AddAsync(key)).IsDone);

        await using var scope = _api.App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ConfigEntityStore>();
        var tracked = await store.FindAsync<ApiKey>(key.KeyId, CancellationToken.None);
        tracked!.Name = "renamed-with-a-route";
        tracked.Limits = tracked.Limits with { RateLimitOverTime = 9, RateLimitUnit = "m" };
        var route = new Route { Id = Guid.NewGuid().ToString(), Name = "r", Path = "/store-" + Guid.NewGuid().ToString("n"), KeyIds = [key.KeyId] };
        scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Routes.Add(route);

        var change = await store.UpdateAsync(tracked, CancellationToken.None);

        Assert.Equal(ConfigChangeOutcome.Done, change.Outcome);
        await using var db = _api.Database.CreateDbContext();
        var saved = await db.Keys.SingleAsync(k => k.KeyId == key.KeyId);
        Assert.Equal(("renamed-with-a-route", 9, "m"), (saved.Name, saved.Limits.RateLimitOverTime, saved.Limits.RateLimitUnit));
        Assert.True(await db.Routes.AnyAsync(r => r.Id == route.Id));
        Assert.Contains("renamed-with-a-route", await CachedJsonAsync(ConfigEntityKind.Key, key.KeyId) ?? string.Empty, StringComparison.Ordinal);
        Assert.True(await CachedAsync(ConfigEntityKind.Route, route.Id));
    }

    [Fact]
    public async Task Update_NothingChanged_StillWritesTheEntityThrough()
    {
        var key = NewKey(ApiKeyHash.Compute("store-unchanged-" + Guid.NewGuid()).ToHex());
        Assert.True((await AddAsync(key)).IsDone);
        await using (var redis = _api.CreateRedis())
        {
            await (await redis.GetDatabaseAsync()).HashDeleteAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Key)), key.KeyId);
        }

        await using var scope = _api.App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ConfigEntityStore>();
        var change = await store.UpdateAsync((await store.FindAsync<ApiKey>(key.KeyId, CancellationToken.None))!, CancellationToken.None);

        Assert.Equal(ConfigChangeOutcome.Done, change.Outcome);
        Assert.True(await CachedAsync(ConfigEntityKind.Key, key.KeyId));
    }

    [Fact]
    public async Task Delete_UnknownOrUnlookupableId_NotFound()
    {
        await using var scope = _api.App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ConfigEntityStore>();

        Assert.Equal(ConfigChangeOutcome.NotFound, (await store.DeleteAsync<ProviderSetting>(Guid.NewGuid().ToString(), CancellationToken.None)).Outcome);
        Assert.Equal(ConfigChangeOutcome.NotFound, (await store.DeleteAsync<ApiKey>("nul\0id", CancellationToken.None)).Outcome);
        Assert.Null(await store.FindAsync<ApiKey>(new string('x', 300), CancellationToken.None));
    }

    [Fact]
    public async Task Delete_ExistingKey_RemovedFromPostgresAndCache()
    {
        var key = NewKey(ApiKeyHash.Compute("store-delete-" + Guid.NewGuid()).ToHex());
        Assert.True((await AddAsync(key)).IsDone);
        Assert.True(await CachedAsync(ConfigEntityKind.Key, key.KeyId));

        await using var scope = _api.App.Services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<ConfigEntityStore>().DeleteAsync<ApiKey>(key.KeyId, CancellationToken.None);

        Assert.Equal(new ConfigChange(ConfigChangeOutcome.Done, ConfigEntityKind.Key, key.KeyId), change);
        await using var db = _api.Database.CreateDbContext();
        Assert.False(await db.Keys.AnyAsync(k => k.KeyId == key.KeyId));
        Assert.False(await CachedAsync(ConfigEntityKind.Key, key.KeyId));
    }

    [Fact]
    public async Task DataSource_EfCoreConnection_ComesFromTheAppsOneNpgsqlDataSource()
    {
        await using var scope = _api.App.Services.CreateAsyncScope();
        var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
        Assert.Same(dataSource, _api.App.Services.GetRequiredService<NpgsqlDataSource>());
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        await db.Database.OpenConnectionAsync();
        var efBackend = ((NpgsqlConnection)db.Database.GetDbConnection()).ProcessID;
        await db.Database.CloseConnectionAsync();

        // Clearing the data source's pool closes the physical connection EF Core just returned, which
        // only happens if EF Core took it from that same pool.
        dataSource.Clear();

        await using var observer = new NpgsqlConnection(_api.Database.ConnectionString);
        await observer.OpenAsync();
        await using var stillThere = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", observer) { Parameters = { new() { Value = efBackend } } };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((long)(await stillThere.ExecuteScalarAsync())! > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0L, (long)(await stillThere.ExecuteScalarAsync())!);
    }

    private async Task<ConfigChange> AddAsync(ApiKey key)
    {
        await using var scope = _api.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConfigEntityStore>().AddAsync(key, CancellationToken.None);
    }

    private async Task<bool> CachedAsync(ConfigEntityKind kind, string id) => await CachedJsonAsync(kind, id) is not null;

    private async Task<string?> CachedJsonAsync(ConfigEntityKind kind, string id)
    {
        await using var redis = _api.CreateRedis();
        return await (await redis.GetDatabaseAsync()).HashGetAsync(redis.Key(ConfigCacheLayout.HashKey(kind)), id);
    }

    private static ApiKey NewKey(string hash) => new()
    {
        KeyId = Guid.NewGuid().ToString(),
        Name = "store",
        KeyHash = hash,
        Limits = { CostLimitInUsd = 1.5m, Ttl = "2h" },
    };
}
