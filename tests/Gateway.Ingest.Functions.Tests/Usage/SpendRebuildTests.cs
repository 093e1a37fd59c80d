using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Usage.Costing;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Users;
using Gateway.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using Gateway.Ingest.Functions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>The refresh timer rebuilds spend counters from the ledger and revokes keys past their ttl.</summary>
public sealed class SpendRebuildTests : IAsyncLifetime
{
    private readonly IngestHost _host = new();
    private GatewayAppFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _app = await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Refresh_AfterARedisFlush_RestoresTotalAndCurrentWindowsFromAppliedEvents()
    {
        var (key, _) = TestData.NewKey("limited");
        key.Limits.CostLimitInUsd = 100;
        key.Limits.CostLimitInUsdOverTime = 10;
        key.Limits.CostLimitInUsdUnit = "d";
        var user = new User { Id = "user-limited", UserId = "carol", KeyIds = [key.KeyId], Limits = { CostLimitInUsdOverTime = 5, CostLimitInUsdUnit = "h" } };
        await using (var db = _host.Database.CreateDbContext())
        {
            db.Keys.Add(key);
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }

        var ingestor = _app.Services.GetRequiredService<UsageIngestor>();
        for (var i = 0; i < 3; i++)
        {
            var message = IngestHost.ChatEvent(key.KeyId);
            message.UserId = "carol";
            message.EndUserId = user.Id;
            await ingestor.IngestAsync(message, CancellationToken.None);
        }

        // An event of an earlier month counts in the total only.
        await ingestor.IngestAsync(IngestHost.ChatEvent(key.KeyId, at: DateTimeOffset.UtcNow.AddDays(-40)), CancellationToken.None);

        // An event stored but not yet charged (its redelivery will charge it) must not be counted.
        var pending = IngestHost.ChatEvent(key.KeyId);
        await _app.Services.GetRequiredService<UsageEventStore>().InsertAsync([new PricedEvent(pending, new UsageCostCalculator(PriceTable.Default).Calculate(pending, null))], DateTimeOffset.UtcNow, CancellationToken.None);

        var now = DateTimeOffset.UtcNow;
        var dayCounter = SpendCounterKeys.Window(SpendCounterKeys.Owner.Key, key.KeyId, LimitUnit.Day, LimitUnit.Day.Window(now).Start);
        var userHour = SpendCounterKeys.Window(SpendCounterKeys.Owner.User, user.Id, LimitUnit.Hour, LimitUnit.Hour.Window(now).Start);
        var before = (Total: await _host.KeyTotalAsync(key.KeyId), Day: await _host.CounterAsync(dayCounter), UserHour: await _host.CounterAsync(userHour));
        Assert.Equal((4 * IngestHost.ChatEventNanoDollars, 3 * IngestHost.ChatEventNanoDollars, 3 * IngestHost.ChatEventNanoDollars), before);

        // "Flush": every spend counter is gone.
        var redis = await _host.Redis.GetDatabaseAsync();
        foreach (var counter in new[] { SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, key.KeyId), dayCounter, userHour, SpendCounterKeys.Total(SpendCounterKeys.Owner.User, user.Id) })
        {
            await redis.KeyDeleteAsync(_host.Redis.Key(counter));
        }

        // What the host's timer trigger invokes.
        await ActivatorUtilities.CreateInstance<ConfigRefreshTimerFunction>(_app.Services).RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(before, (await _host.KeyTotalAsync(key.KeyId), await _host.CounterAsync(dayCounter), await _host.CounterAsync(userHour)));
        Assert.Equal(3 * IngestHost.ChatEventNanoDollars, await _host.CounterAsync(SpendCounterKeys.Total(SpendCounterKeys.Owner.User, user.Id)));
        Assert.True(await redis.KeyTimeToLiveAsync(_host.Redis.Key(dayCounter)) <= TimeSpan.FromDays(1));

        // The pending event's redelivery then charges it exactly once on top.
        await ingestor.IngestAsync(pending, CancellationToken.None);
        Assert.Equal(5 * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync(key.KeyId));
    }

    [Fact]
    public async Task Refresh_NeverLowersACounter_SoAnIncrementRacingTheRebuildIsKept()
    {
        var (key, _) = TestData.NewKey("raced");
        key.Limits.CostLimitInUsd = 100;
        await using (var db = _host.Database.CreateDbContext())
        {
            db.Keys.Add(key);
            await db.SaveChangesAsync();
        }

        var ingestor = _app.Services.GetRequiredService<UsageIngestor>();
        await ingestor.IngestAsync(IngestHost.ChatEvent(key.KeyId), CancellationToken.None);

        // Redis is charged before the running totals: an increment that lands after the rebuild read
        // the totals shows up as a counter above them, and must survive the rebuild's write.
        var total = _host.Redis.Key(SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, key.KeyId));
        var redis = await _host.Redis.GetDatabaseAsync();
        await redis.StringIncrementAsync(total, 7);

        // What the host's timer trigger invokes.
        await ActivatorUtilities.CreateInstance<ConfigRefreshTimerFunction>(_app.Services).RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(IngestHost.ChatEventNanoDollars + 7, await _host.KeyTotalAsync(key.KeyId));
    }

    [Fact]
    public async Task Refresh_KeyPastItsTtl_IsRevokedAsExpiredInPostgresAndTheConfigCache()
    {
        var (expired, _) = TestData.NewKey("expired");
        expired.CreatedAt = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds();
        expired.Limits.Ttl = "2h";
        var (alive, _) = TestData.NewKey("alive");
        alive.Limits.Ttl = "2h";
        var expiredUser = new User { Id = "user-expired", UserId = "dave", Limits = { Ttl = "1m" }, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds() };
        await using (var db = _host.Database.CreateDbContext())
        {
            db.Keys.AddRange(expired, alive);
            db.Users.Add(expiredUser);
            await db.SaveChangesAsync();
        }

        // What the host's timer trigger invokes.
        await ActivatorUtilities.CreateInstance<ConfigRefreshTimerFunction>(_app.Services).RunAsync(new TimerInfo(), CancellationToken.None);
        await using (var db = _host.Database.CreateDbContext())
        {
            var stored = await db.Keys.AsNoTracking().SingleAsync(k => k.KeyId == expired.KeyId);
            Assert.True(stored.Revoked);
            Assert.Equal(KeyExpirer.ExpiredReason, stored.RevokedReason);
            Assert.False((await db.Keys.AsNoTracking().SingleAsync(k => k.KeyId == alive.KeyId)).Revoked);
            Assert.True((await db.Users.AsNoTracking().SingleAsync(u => u.Id == expiredUser.Id)).Revoked);
        }

        var redis = await _host.Redis.GetDatabaseAsync();
        var cached = (string?)await redis.HashGetAsync(_host.Redis.Key("config:keys"), expired.KeyId);
        Assert.Contains("\"revoked\":true", cached);
    }
}
