using System.Text.Json;
using Gateway.Domain.Limits;
using Gateway.Domain.Providers;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Costing;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Spend;
using Gateway.Domain.Usage.Transport;
using Gateway.Domain.Users;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>The ingest handler against real PostgreSQL, Redis and Azurite: storing, charging, and exactly-once under redelivery.</summary>
public sealed class UsageIngestorTests : IAsyncLifetime
{
    private readonly IngestHost _host = new();
    private GatewayAppFactory<Program> _app = null!;

    private UsageIngestor Ingestor => _app.Services.GetRequiredService<UsageIngestor>();

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _app = await _host.StartAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Ingest_NewEvent_StoresTheRowAndChargesTheKey()
    {
        var message = IngestHost.ChatEvent("key-1");
        message.CustomId = "custom-1";
        message.UserId = "end-user-1";
        message.Metadata = """{"team":"search","n":1}""";
        message.CorrelationId = "corr-1";
        message.RouteId = "route-1";
        message.Action = "redacted";
        message.PolicyId = "policy-1";
        message.PiiEntities = new() { ["EMAIL"] = 2, ["CREDIT_CARD"] = 1 };

        var result = Assert.Single((await Ingestor.IngestAsync(UsageMessageCodec.Serialize(message), CancellationToken.None)).Events);

        Assert.Equal(UsageIngestOutcome.Ingested, result.Outcome);
        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal(message.CreatedAtUnixMs / 1000, (long)row["created_at"]!);
        Assert.Equal(new[] { "team-a" }, (string[])row["tags"]!);
        Assert.Equal("key-1", row["key_id"]);
        Assert.Equal("openai", row["provider"]);
        Assert.Equal("gpt-4o", row["model"]);
        Assert.Equal(200, row["status_code"]);
        Assert.Equal(1000, row["prompt_token_count"]);
        Assert.Equal(500, row["completion_token_count"]);
        Assert.Equal(123, row["latency_in_ms"]);
        Assert.Equal("/api/providers/openai/v1/chat/completions", row["path"]);
        Assert.Equal("POST", row["method"]);
        Assert.Equal("custom-1", row["custom_id"]);
        Assert.Equal("end-user-1", row["user_id"]);
        Assert.Equal("redacted", row["action"]);
        Assert.Equal("policy-1", row["policy_id"]);
        var pii = JsonDocument.Parse((string)row["pii_entities"]!).RootElement;
        Assert.Equal(2, pii.GetProperty("EMAIL").GetInt32());
        Assert.Equal(1, pii.GetProperty("CREDIT_CARD").GetInt32());
        Assert.Equal(false, row["cached"]);
        Assert.Equal("route-1", row["route_id"]);
        Assert.Equal("corr-1", row["correlation_id"]);
        Assert.Equal("search", JsonDocument.Parse((string)row["metadata"]!).RootElement.GetProperty("team").GetString());
        Assert.Null(row["request"]);
        Assert.Null(row["response"]);
        Assert.Equal(0.0075m, (decimal)row["cost_in_usd"]!);
        Assert.Equal(0.0025m, (decimal)row["prompt_cost_in_usd"]!);
        Assert.Equal(0m, (decimal)row["cached_prompt_cost_in_usd"]!);
        Assert.Equal(0.005m, (decimal)row["completion_cost_in_usd"]!);
        Assert.Equal(false, row["usage_estimated"]);
        Assert.Equal(false, row["unknown_model"]);
        Assert.Equal(true, row["spend_applied"]);

        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-1"));
        var now = DateTimeOffset.UtcNow;
        foreach (var unit in new[] { LimitUnit.Hour, LimitUnit.Day, LimitUnit.Month })
        {
            Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.CounterAsync(SpendCounterKeys.Window(SpendCounterKeys.Owner.Key, "key-1", unit, unit.Window(now).Start)));
        }
    }

    [Fact]
    public async Task Ingest_SameMessageTwice_OneRowOneCharge()
    {
        var body = UsageMessageCodec.Serialize(IngestHost.ChatEvent("key-twice"));

        var first = Assert.Single((await Ingestor.IngestAsync(body, CancellationToken.None)).Events);
        var second = Assert.Single((await Ingestor.IngestAsync(body, CancellationToken.None)).Events);

        Assert.Equal(UsageIngestOutcome.Ingested, first.Outcome);
        Assert.Equal(UsageIngestOutcome.Duplicate, second.Outcome);
        Assert.Equal(1, await _host.CountEventsAsync(first.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-twice"));
    }

    [Fact]
    public async Task Ingest_ConcurrentDeliveriesOfOneEvent_ChargeOnce()
    {
        var body = UsageMessageCodec.Serialize(IngestHost.ChatEvent("key-race"));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Ingestor.IngestAsync(body, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.IsDone));
        Assert.Equal(1, await _host.CountEventsAsync(results[0].Events[0].EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-race"));
    }

    [Fact]
    public async Task Ingest_ConsumerDiedAfterStoringBeforeCharging_RedeliveryChargesOnce()
    {
        var message = IngestHost.ChatEvent("key-crash-1");
        var cost = new UsageCostCalculator(PriceTable.Default).Calculate(message, null);
        await Store.InsertAsync([new PricedEvent(message, cost)], DateTimeOffset.UtcNow, CancellationToken.None); // step 2 only, then "died"

        var redelivery = await Ingestor.IngestAsync(message, CancellationToken.None);

        Assert.Equal(UsageIngestOutcome.Resumed, redelivery.Outcome);
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-crash-1"));
        Assert.Equal(true, (await _host.EventRowAsync(message.EventId))!["spend_applied"]);
    }

    [Fact]
    public async Task Ingest_ConsumerDiedAfterChargingBeforeMarking_RedeliveryDoesNotChargeAgain()
    {
        var message = IngestHost.ChatEvent("key-crash-2");
        var cost = new UsageCostCalculator(PriceTable.Default).Calculate(message, null);
        var entries = await Store.InsertAsync([new PricedEvent(message, cost)], DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(1, await _app.Services.GetRequiredService<SpendApplier>().ApplyAsync(entries, CancellationToken.None)); // steps 2-3, then "died"

        var redelivery = await Ingestor.IngestAsync(message, CancellationToken.None);
        var third = await Ingestor.IngestAsync(message, CancellationToken.None);

        Assert.Equal(UsageIngestOutcome.Resumed, redelivery.Outcome);
        Assert.Equal(UsageIngestOutcome.Duplicate, third.Outcome);
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-crash-2"));
        Assert.Equal(true, (await _host.EventRowAsync(message.EventId))!["spend_applied"]);
    }

    [Fact]
    public async Task Ingest_RedeliveryAfterTheStoredCostDiffers_ChargesTheStoredCost()
    {
        var message = IngestHost.ChatEvent("key-stored-cost");
        await Store.InsertAsync([new PricedEvent(message, new UsageCost(1, 1, 0.000001m, 0m, 0.000002m, 0m, 0m, false, false))], DateTimeOffset.UtcNow, CancellationToken.None);

        await Ingestor.IngestAsync(message, CancellationToken.None);

        Assert.Equal(3_000, await _host.KeyTotalAsync("key-stored-cost"));
    }

    [Fact]
    public async Task Ingest_EndUserMatchedByTheProxy_ChargesThatUsersCountersToo()
    {
        var message = IngestHost.ChatEvent("key-user");
        message.UserId = "alice";
        message.EndUserId = "user-row-1";
        await Ingestor.IngestAsync(message, CancellationToken.None);

        Assert.Equal("user-row-1", (await _host.EventRowAsync(message.EventId))!["charged_user_id"]);
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.CounterAsync(SpendCounterKeys.Total(SpendCounterKeys.Owner.User, "user-row-1")));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-user"));
    }

    [Fact]
    public async Task Ingest_EndUserTheProxyDidNotMatch_ChargesTheKeyOnlyWithoutMatchingAgain()
    {
        await using (var db = _host.Database.CreateDbContext())
        {
            db.Users.Add(new User { Id = "user-row-bob", UserId = "bob", KeyIds = ["key-nomatch"] });
            await db.SaveChangesAsync();
        }

        var message = IngestHost.ChatEvent("key-nomatch");
        message.UserId = "bob";
        await Ingestor.IngestAsync(message, CancellationToken.None);

        Assert.Null((await _host.EventRowAsync(message.EventId))!["charged_user_id"]);
        Assert.Equal(0, await _host.CounterAsync(SpendCounterKeys.Total(SpendCounterKeys.Owner.User, "user-row-bob")));
    }

    [Fact]
    public async Task Ingest_SettingWithCostMap_UsesItsPrices()
    {
        var setting = TestData.NewSetting();
        setting.CostMap = new CostMap { PromptCostPerModel = { ["gpt-4o"] = 0.01m }, CompletionCostPerModel = { ["gpt-4o"] = 0.02m } };
        await using (var db = _host.Database.CreateDbContext())
        {
            db.ProviderSettings.Add(setting);
            await db.SaveChangesAsync();
        }

        var message = IngestHost.ChatEvent("key-costmap");
        message.SettingId = setting.Id;
        await Ingestor.IngestAsync(message, CancellationToken.None);

        // 1000 × $0.01 per 1K + 500 × $0.02 per 1K.
        Assert.Equal(0.02m, (decimal)(await _host.EventRowAsync(message.EventId))!["cost_in_usd"]!);
        Assert.Equal(20_000_000, await _host.KeyTotalAsync("key-costmap"));
    }

    [Fact]
    public async Task Ingest_LoggedBodies_StoredAsJsonAndNonJsonAsJsonStrings()
    {
        var message = IngestHost.ChatEvent("key-bodies");
        message.RequestBody = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi\u0000"}]}""";
        message.ResponseBody = "data: {\"choices\":[]}\n\ndata: [DONE]\n\n";
        await Ingestor.IngestAsync(message, CancellationToken.None);

        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal("gpt-4o", JsonDocument.Parse((string)row["request"]!).RootElement.GetProperty("model").GetString());
        Assert.Equal(message.ResponseBody, JsonDocument.Parse((string)row["response"]!).RootElement.GetString());
    }

    [Fact]
    public async Task Ingest_UnknownModel_StoredAtZeroAndFlagged()
    {
        var message = IngestHost.ChatEvent("key-unknown");
        message.Model = "in-house-model";
        await Ingestor.IngestAsync(message, CancellationToken.None);

        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal(true, row["unknown_model"]);
        Assert.Equal(0m, (decimal)row["cost_in_usd"]!);
        Assert.Equal(true, row["spend_applied"]);
        Assert.Equal(0, await _host.KeyTotalAsync("key-unknown"));
    }

    [Fact]
    public async Task Ingest_UsageAbsent_CountsAndMarksEstimated()
    {
        var message = IngestHost.ChatEvent("key-estimated");
        message.Usage = null;
        message.Streamed = true;
        message.PromptText = "The quick brown fox jumps over the lazy dog.";
        message.CompletionText = "Hello, world!";
        await Ingestor.IngestAsync(message, CancellationToken.None);

        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal(true, row["usage_estimated"]);
        Assert.Equal(10, row["prompt_token_count"]);
        Assert.Equal(4, row["completion_token_count"]);
    }

    [Fact]
    public async Task Ingest_OversizedFields_AreCutToTheirColumns()
    {
        var message = IngestHost.ChatEvent("key-long");
        message.Path = "/api/" + new string('p', 5000);
        message.CustomId = new string('c', 1000) + "\0";
        await Ingestor.IngestAsync(message, CancellationToken.None);

        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal(1024, ((string)row["path"]!).Length);
        Assert.Equal(256, ((string)row["custom_id"]!).Length);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"schemaVersion":1}""")]
    [InlineData("""{"schemaVersion":9,"eventId":"e"}""")]
    public async Task Ingest_Unreadable_IsRefusedWithAReasonAndStoresNothing(string body)
    {
        var result = await Ingestor.IngestAsync(System.Text.Encoding.UTF8.GetBytes(body), CancellationToken.None);

        Assert.False(result.IsDone);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task Ingest_ClaimCheckWithoutItsBlob_IsMalformed()
    {
        var envelope = UsageMessageCodec.ClaimCheckEnvelope(IngestHost.ChatEvent("k"), new UsageClaimCheck { Container = UsageQueueClients.ClaimContainerName, Blob = "missing-" + Guid.NewGuid() });
        await _app.Services.GetRequiredService<UsageQueueClients>().EnsureClaimContainerAsync(CancellationToken.None);

        var result = await Ingestor.IngestAsync(envelope, CancellationToken.None);

        Assert.Equal(UsageIngestOutcome.Malformed, result.Outcome);
        Assert.Contains("does not exist", result.Reason);
    }

    [Fact]
    public async Task Ingest_ClaimCheck_StoresTheWholeEventFromTheBlob()
    {
        var message = IngestHost.ChatEvent("key-claim");
        message.RequestBody = JsonSerializer.Serialize(new { model = "gpt-4o", prompt = new string('x', 200_000) });
        var claims = _app.Services.GetRequiredService<UsageClaimCheckStore>();
        var body = await claims.EncodeForQueueAsync(message, UsageMessageCodec.StorageQueueMaxBodyBytes, CancellationToken.None);
        Assert.True(body.Length < 1000);

        var result = Assert.Single((await Ingestor.IngestAsync(body, CancellationToken.None)).Events);

        Assert.Equal(UsageIngestOutcome.Ingested, result.Outcome);
        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal(200_000, JsonDocument.Parse((string)row["request"]!).RootElement.GetProperty("prompt").GetString()!.Length);
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-claim"));
    }

    [Fact]
    public async Task Ingest_EventFromAnEndedWindow_ChargesTheTotalOnly()
    {
        var message = IngestHost.ChatEvent("key-old", at: DateTimeOffset.UtcNow.AddDays(-40));
        await Ingestor.IngestAsync(message, CancellationToken.None);

        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-old"));
        var monthStart = LimitUnit.Month.Window(DateTimeOffset.FromUnixTimeMilliseconds(message.CreatedAtUnixMs)).Start;
        Assert.Equal(0, await _host.CounterAsync(SpendCounterKeys.Window(SpendCounterKeys.Owner.Key, "key-old", LimitUnit.Month, monthStart)));
    }

    private UsageEventStore Store => _app.Services.GetRequiredService<UsageEventStore>();
}
