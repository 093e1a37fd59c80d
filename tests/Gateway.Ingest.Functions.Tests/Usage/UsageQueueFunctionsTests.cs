using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// The two queue functions under the custom-handler contract: the host POSTs
/// <c>{"Data": {"message": ...}, "Metadata": {...}}</c> to <c>/{function}</c> and retries on non-2xx.
/// </summary>
public sealed class UsageQueueFunctionsTests : IAsyncLifetime
{
    private readonly IngestHost _host = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var app = await _host.StartAsync();
        _client = new HttpClient { BaseAddress = app.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public void FunctionJson_StorageQueue_IsAQueueTriggerOnTheConfiguredQueue()
    {
        var function = Assert.Single(FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions"), f => f.Name == "usage_storage_queue");
        Assert.Equal("queueTrigger", function.TriggerType);
        Assert.Equal("%UsageQueueName%", (string?)function.Trigger["queueName"]);
        Assert.Equal("UsageQueueStorage", (string?)function.Trigger["connection"]);
        Assert.Equal("message", (string?)function.Trigger["name"]);
    }

    [Fact]
    public void FunctionJson_ServiceBus_IsAServiceBusTriggerOnTheConfiguredQueueOneMessageAtATime()
    {
        var function = Assert.Single(FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions"), f => f.Name == "usage_service_bus");
        Assert.Equal("serviceBusTrigger", function.TriggerType);
        Assert.Equal("%UsageQueueName%", (string?)function.Trigger["queueName"]);
        Assert.Equal("UsageServiceBus", (string?)function.Trigger["connection"]);
        Assert.Equal("one", (string?)function.Trigger["cardinality"]);
    }

    [Fact]
    public void SampleSettings_DisableTheUnusedFunction_WithTheDocumentedSetting()
    {
        var values = FunctionAppContract.ReadJson(RepoPaths.Combine("local.settings.sample.json"))["Values"]!.AsObject();
        Assert.Equal("StorageQueue", (string?)values["UsageTransport"]);
        Assert.Equal("true", (string?)values["AzureWebJobs.usage_service_bus.Disabled"]);
        Assert.Equal("false", (string?)values["AzureWebJobs.usage_storage_queue.Disabled"]);
        Assert.Equal("usage-events", (string?)values["UsageQueueName"]);
    }

    [Fact]
    public async Task StorageQueue_DocumentedPayload_MessageTextAsString_StoresTheEvent()
    {
        var message = IngestHost.ChatEvent("key-host-1");
        var text = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message));
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = text },
            ["Metadata"] = StorageMetadata(),
        };

        using var response = await _client.PostAsJsonAsync("/usage_storage_queue", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body.ContainsKey("Outputs"));
        Assert.Contains($"Ingested {message.EventId}", body["ReturnValue"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-host-1"));
    }

    [Fact]
    public async Task StorageQueue_MessageAsJsonObject_StoresTheEvent()
    {
        var message = IngestHost.ChatEvent("key-host-2");
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = JsonNode.Parse(UsageMessageCodec.Serialize(message)) },
            ["Metadata"] = StorageMetadata(),
        };

        using var response = await _client.PostAsJsonAsync("/usage_storage_queue", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
    }

    [Fact]
    public async Task StorageQueue_MessageSerializedTwice_StoresTheEvent()
    {
        // The host's HTTP worker serializes a non-object input value once more with Json.NET.
        var message = IngestHost.ChatEvent("key-host-3");
        var text = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message));
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = JsonSerializer.Serialize(text) },
            ["Metadata"] = StorageMetadata(),
        };

        using var response = await _client.PostAsJsonAsync("/usage_storage_queue", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
    }

    [Fact]
    public async Task StorageQueue_SameMessageDeliveredAgain_OneRowOneCharge()
    {
        var message = IngestHost.ChatEvent("key-host-again");
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message)) },
            ["Metadata"] = StorageMetadata(),
        };

        using var first = await _client.PostAsJsonAsync("/usage_storage_queue", payload);
        using var second = await _client.PostAsJsonAsync("/usage_storage_queue", payload);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains($"Duplicate {message.EventId}", JsonNode.Parse(await second.Content.ReadAsStringAsync())!["ReturnValue"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-host-again"));
    }

    [Fact]
    public async Task StorageQueue_MalformedMessage_Answers500SoTheHostRetriesThenPoisons()
    {
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = "this is not a usage event" },
            ["Metadata"] = StorageMetadata(),
        };

        using var response = await _client.PostAsJsonAsync("/usage_storage_queue", payload);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var logs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Logs"]!.AsArray().Select(l => (string)l!);
        Assert.Contains(logs, l => l.Contains("failed", StringComparison.Ordinal));
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task StorageQueue_NoMessageBinding_Answers500()
    {
        using var response = await _client.PostAsJsonAsync("/usage_storage_queue", JsonNode.Parse("""{"Data":{},"Metadata":{}}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task ServiceBus_DocumentedPayload_StoresTheEvent()
    {
        var message = IngestHost.ChatEvent("key-sb-1");
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message)) },
            ["Metadata"] = new JsonObject
            {
                ["MessageId"] = message.EventId,
                ["DeliveryCount"] = 1,
                ["ContentType"] = "application/json",
                ["SequenceNumber"] = 7,
                ["sys"] = new JsonObject { ["MethodName"] = "usage_service_bus", ["UtcNow"] = "2026-11-23T04:01:00Z" },
            },
        };

        using var response = await _client.PostAsJsonAsync("/usage_service_bus", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
    }

    [Fact]
    public async Task ServiceBus_Base64Body_StoresTheEvent()
    {
        // A byte[]-bound trigger reaches a custom handler as Base64.
        var message = IngestHost.ChatEvent("key-sb-2");
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = Convert.ToBase64String(UsageMessageCodec.Serialize(message)) },
            ["Metadata"] = new JsonObject { ["MessageId"] = message.EventId },
        };

        using var response = await _client.PostAsJsonAsync("/usage_service_bus", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
    }

    [Fact]
    public async Task ServiceBus_CardinalityManyBatch_StoresEveryEvent()
    {
        var messages = Enumerable.Range(0, 3).Select(_ => IngestHost.ChatEvent("key-sb-batch")).ToList();
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = new JsonArray([.. messages.Select(m => (JsonNode)Encoding.UTF8.GetString(UsageMessageCodec.Serialize(m)))]) },
            ["Metadata"] = new JsonObject(),
        };

        using var response = await _client.PostAsJsonAsync("/usage_service_bus", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, await _host.CountEventsAsync());
        Assert.Equal(3 * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-batch"));
    }

    [Fact]
    public async Task ServiceBus_MalformedMessage_Answers500SoTheBrokerDeadLetters()
    {
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = """{"schemaVersion":1,"keyId":"no event id"}""" },
            ["Metadata"] = new JsonObject { ["DeliveryCount"] = 3 },
        };

        using var response = await _client.PostAsJsonAsync("/usage_service_bus", payload);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task StorageQueue_PostgresUnreachable_Answers500SoTheHostRetries()
    {
        var settings = _host.Settings();
        settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1";
        await using var app = await GatewayApps.StartAsync<Program>(settings);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(IngestHost.ChatEvent("key-pg-down"))) },
            ["Metadata"] = StorageMetadata(),
        };

        using var response = await client.PostAsJsonAsync("/usage_storage_queue", payload);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task StorageQueue_RedisUnreachable_Answers500AndTheRetryChargesOnce()
    {
        var message = IngestHost.ChatEvent("key-redis-down");
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message)) },
            ["Metadata"] = StorageMetadata(),
        };
        var settings = _host.Settings();
        settings["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200,syncTimeout=500,asyncTimeout=500";
        await using (var broken = await GatewayApps.StartAsync<Program>(settings))
        {
            using var brokenClient = new HttpClient { BaseAddress = broken.BaseAddress };
            using var failed = await brokenClient.PostAsJsonAsync("/usage_storage_queue", payload);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        // Stored but not charged; the host's retry (here, to a healthy instance) charges it once.
        Assert.Equal(false, (await _host.EventRowAsync(message.EventId))!["spend_applied"]);
        using var retried = await _client.PostAsJsonAsync("/usage_storage_queue", payload);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-redis-down"));
        Assert.Equal(true, (await _host.EventRowAsync(message.EventId))!["spend_applied"]);
    }

    private static JsonObject StorageMetadata() => new()
    {
        ["DequeueCount"] = 1,
        ["ExpirationTime"] = "9999-12-31T23:59:59+00:00",
        ["Id"] = Guid.NewGuid().ToString(),
        ["InsertionTime"] = "2026-11-23T04:00:00+00:00",
        ["NextVisibleTime"] = "2026-11-23T04:10:00+00:00",
        ["PopReceipt"] = "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
        ["sys"] = new JsonObject { ["MethodName"] = "usage_storage_queue", ["UtcNow"] = "2026-11-23T04:00:01Z", ["RandGuid"] = Guid.NewGuid().ToString() },
    };
}
