using Gateway.Domain.Usage.Transport;
using Gateway.Ingest.Functions.Functions;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// The <c>usage_storage_queue</c> function as the Functions host invokes it (no host runs here: the
/// function class is created from the app's services and called with the decoded message bytes, as
/// the queue trigger binds them). A thrown exception is what makes the host retry, then poison.
/// </summary>
public sealed class UsageQueueFunctionsTests : IAsyncLifetime
{
    private readonly IngestHost _host = new();
    private GatewayAppFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _app = await _host.StartAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void FunctionsMetadata_StorageQueue_IsAQueueTriggerOnTheConfiguredQueue()
    {
        var function = Assert.Single(FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions"), f => f.Name == "usage_storage_queue");
        Assert.Equal("queueTrigger", function.TriggerType);
        Assert.Equal("%UsageQueueName%", (string?)function.Trigger["queueName"]);
        Assert.Equal("UsageQueueStorage", (string?)function.Trigger["connection"]);
        Assert.Equal("message", (string?)function.Trigger["name"]);
    }

    [Fact]
    public void FunctionsMetadata_HasNoServiceBusFunction_TheProcessorConsumesThatQueue()
        => Assert.DoesNotContain(FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions"), f => f.TriggerType == "serviceBusTrigger");

    [Fact]
    public void SampleSettings_StorageQueueTransport_KeepsTheQueueFunctionEnabled()
    {
        var values = FunctionAppContract.ReadJson(RepoPaths.Combine("local.settings.sample.json"))["Values"]!.AsObject();
        Assert.Equal("StorageQueue", (string?)values["UsageTransport"]);
        Assert.Equal("false", (string?)values["AzureWebJobs.usage_storage_queue.Disabled"]);
        Assert.Null(values["AzureWebJobs.usage_service_bus.Disabled"]);
        Assert.Equal("usage-events", (string?)values["UsageQueueName"]);
    }

    [Fact]
    public async Task StorageQueue_Message_StoresAndChargesTheEvent()
    {
        var message = IngestHost.ChatEvent("key-host-1");

        await Function(_app).RunAsync(UsageMessageCodec.Serialize(message), CancellationToken.None);

        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-host-1"));
    }

    [Fact]
    public async Task StorageQueue_SameMessageDeliveredAgain_OneRowOneCharge()
    {
        var message = IngestHost.ChatEvent("key-host-again");
        var body = UsageMessageCodec.Serialize(message);

        await Function(_app).RunAsync(body, CancellationToken.None);
        await Function(_app).RunAsync(body, CancellationToken.None);

        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-host-again"));
    }

    [Fact]
    public async Task StorageQueue_MalformedMessage_ThrowsSoTheHostRetriesThenPoisons()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Function(_app).RunAsync("this is not a usage event"u8.ToArray(), CancellationToken.None));

        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task StorageQueue_PostgresUnreachable_ThrowsSoTheHostRetries()
    {
        var settings = _host.Settings();
        settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1";
        await using var app = await GatewayApps.StartAsync<Program>(settings);

        await Assert.ThrowsAnyAsync<Exception>(() => Function(app).RunAsync(UsageMessageCodec.Serialize(IngestHost.ChatEvent("key-pg-down")), CancellationToken.None));
    }

    [Fact]
    public async Task StorageQueue_RedisUnreachable_ThrowsAndTheRetryChargesOnce()
    {
        var message = IngestHost.ChatEvent("key-redis-down");
        var body = UsageMessageCodec.Serialize(message);
        var settings = _host.Settings();
        settings["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200,syncTimeout=500,asyncTimeout=500";
        await using (var broken = await GatewayApps.StartAsync<Program>(settings))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Function(broken).RunAsync(body, CancellationToken.None));
        }

        // Stored but not charged; the host's retry (here, to a healthy instance) charges it once.
        Assert.Equal(false, (await _host.EventRowAsync(message.EventId))!["spend_applied"]);
        await Function(_app).RunAsync(body, CancellationToken.None);
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-redis-down"));
        Assert.Equal(true, (await _host.EventRowAsync(message.EventId))!["spend_applied"]);
    }

    private static UsageStorageQueueFunction Function(GatewayAppFactory<Program> app)
        => ActivatorUtilities.CreateInstance<UsageStorageQueueFunction>(app.Services);
}
