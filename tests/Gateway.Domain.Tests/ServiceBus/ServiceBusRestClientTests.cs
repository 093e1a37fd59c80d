using System.Text;
using System.Text.Json;
using Azure;
using Gateway.Domain.Queues.ServiceBus;
using Gateway.Testing.ServiceBus;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Domain.Tests.ServiceBus;

/// <summary>The client against <see cref="FakeServiceBusServer"/> on loopback: what went over the wire and what the broker did.</summary>
public sealed class ServiceBusRestClientTests : IAsyncLifetime
{
    private const string Queue = "usage-events";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private FakeServiceBusServer _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeServiceBusServer.StartAsync(new FakeServiceBusOptions { TimeProvider = _time, DefaultLockDuration = TimeSpan.FromSeconds(30) });
        _fake.CreateQueue(Queue, maxDeliveryCount: 3);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task SendAsync_SingleMessage_CarriesBodyContentTypeAndBrokerProperties()
    {
        var client = CreateClient();
        var message = new ServiceBusRestMessage("""{"id":"evt-1"}""")
        {
            MessageId = "evt-1",
            ContentType = "application/json",
            CorrelationId = "req-42",
            TimeToLive = TimeSpan.FromMinutes(10),
            UserProperties = { ["Tenant"] = "contoso é" },
        };

        await client.SendAsync(message);

        var stored = Assert.Single(_fake.GetMessages(Queue));
        Assert.Equal("""{"id":"evt-1"}""", stored.BodyAsString());
        Assert.Equal("application/json", stored.ContentType);
        Assert.Equal("evt-1", stored.MessageId);
        Assert.Equal("req-42", stored.CorrelationId);
        Assert.Equal(TimeSpan.FromMinutes(10), stored.TimeToLive);
        Assert.Equal("contoso é", stored.UserProperties["Tenant"]);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/{Queue}/messages", request.Path);
        using var brokerProperties = JsonDocument.Parse(request.Header("BrokerProperties")!);
        Assert.Equal("evt-1", brokerProperties.RootElement.GetProperty("MessageId").GetString());
        Assert.Equal(600, brokerProperties.RootElement.GetProperty("TimeToLive").GetDouble());
    }

    [Fact]
    public async Task SendAsync_NoMessageId_SendsGeneratedId()
    {
        await CreateClient().SendAsync(new ServiceBusRestMessage("x"));

        var stored = Assert.Single(_fake.GetMessages(Queue));
        Assert.Matches("^[0-9a-f]{32}$", stored.MessageId);
    }

    [Fact]
    public async Task SendBatchAsync_ThreeMessages_OneRequestInDocumentedBatchShape()
    {
        var messages = Enumerable.Range(1, 3).Select(i => new ServiceBusRestMessage($"event {i}")
        {
            MessageId = $"evt-{i}",
            UserProperties = { ["Priority"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

        var requests = await CreateClient().SendBatchAsync(messages);

        Assert.Equal(1, requests);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(201, request.StatusCode);
        Assert.Equal("application/vnd.microsoft.servicebus.json", request.Header("Content-Type"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(JsonValueKind.Array, body.RootElement.ValueKind);
        var entries = body.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal("event 1", entries[0].GetProperty("Body").GetString());
        Assert.Equal("evt-1", entries[0].GetProperty("BrokerProperties").GetProperty("MessageId").GetString());
        Assert.Equal("1", entries[0].GetProperty("UserProperties").GetProperty("Priority").GetString());
        Assert.Equal(["evt-1", "evt-2", "evt-3"], _fake.GetMessages(Queue).Select(m => m.MessageId));
        Assert.Equal("3", _fake.GetMessages(Queue)[2].UserProperties["Priority"]);
    }

    [Fact]
    public async Task SendBatchAsync_LargerThanMaxBatchBytes_SplitsIntoRequestsWithinLimit()
    {
        const int Limit = 4096;
        var client = CreateClient(maxBatchBytes: Limit);
        var messages = Enumerable.Range(0, 10).Select(i => new ServiceBusRestMessage(new string((char)('a' + i), 900)) { MessageId = $"m-{i}" }).ToList();

        var requests = await client.SendBatchAsync(messages);

        var posts = _fake.Requests;
        Assert.Equal(3, requests); // 4 + 4 + 2 entries of ~945 bytes under 4096
        Assert.Equal(3, posts.Count);
        Assert.All(posts, p => Assert.InRange(p.Body.Length, 1, Limit));
        Assert.All(posts, p => Assert.Equal(201, p.StatusCode));
        Assert.Equal(messages.Select(m => m.MessageId), _fake.GetMessages(Queue).Select(m => m.MessageId));
        Assert.Equal(messages[9].BodyAsString(), _fake.GetMessages(Queue)[9].BodyAsString());
    }

    [Fact]
    public async Task SendBatchAsync_OneMessageOverLimit_ThrowsAndSendsNothing()
    {
        var client = CreateClient(maxBatchBytes: 2048);
        var messages = new[] { new ServiceBusRestMessage("small"), new ServiceBusRestMessage(new string('x', 4000)) };

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendBatchAsync(messages));

        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_BodyOverServiceLimit_Throws413WithoutRetry()
    {
        // The client believes in a larger limit than the broker enforces (256 KiB).
        var client = CreateClient(maxBatchBytes: 1024 * 1024);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendBatchAsync([new ServiceBusRestMessage(new string('x', 300 * 1024))]));

        Assert.Equal(413, error.Status);
        Assert.Single(_fake.Requests);
        Assert.Empty(_fake.GetMessages(Queue));
    }

    [Fact]
    public async Task ReceiveAsync_EmptyQueue_ReturnsNullOn204()
    {
        var received = await CreateClient().ReceiveAsync(TimeSpan.Zero);

        Assert.Null(received);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(204, request.StatusCode);
        Assert.Equal($"/{Queue}/messages/head", request.Path);
        Assert.Equal("?timeout=0", request.Query);
    }

    [Fact]
    public async Task ReceiveThenComplete_Message_LocksThenRemovesIt()
    {
        var client = CreateClient();
        await client.SendAsync(new ServiceBusRestMessage("""{"n":1}""") { MessageId = "evt-1", ContentType = "application/json", CorrelationId = "c-1", UserProperties = { ["Tenant"] = "t1" } });

        var received = await client.ReceiveAsync(TimeSpan.FromSeconds(1));

        Assert.NotNull(received);
        Assert.Equal("""{"n":1}""", received.BodyAsString());
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("evt-1", received.MessageId);
        Assert.Equal("c-1", received.CorrelationId);
        Assert.Equal("t1", received.UserProperties["Tenant"]);
        Assert.Equal(1, received.DeliveryCount);
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), received.LockedUntil);
        var stored = Assert.Single(_fake.GetMessages(Queue));
        Assert.True(stored.IsLocked);
        Assert.Equal(stored.LockToken, received.LockToken);
        Assert.Equal(new Uri(_fake.HttpEndpoint, $"{Queue}/messages/{stored.SequenceNumber}/{stored.LockToken}"), received.LockLocation);

        await client.CompleteAsync(received);

        Assert.Empty(_fake.GetMessages(Queue));
        var complete = _fake.Requests[^1];
        Assert.Equal("DELETE", complete.Method);
        Assert.Equal(received.LockLocation.AbsolutePath, complete.Path);
        Assert.Null(await client.ReceiveAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task AbandonAsync_Message_RedeliveredWithDeliveryCountTwo()
    {
        var client = CreateClient();
        await client.SendAsync(new ServiceBusRestMessage("poison?") { MessageId = "evt-1" });
        var first = await client.ReceiveAsync(TimeSpan.Zero);
        Assert.NotNull(first);
        Assert.Null(await client.ReceiveAsync(TimeSpan.Zero)); // locked: invisible to other receivers

        await client.AbandonAsync(first);

        Assert.Equal("PUT", _fake.Requests[^1].Method);
        var second = await client.ReceiveAsync(TimeSpan.Zero);
        Assert.NotNull(second);
        Assert.Equal("evt-1", second.MessageId);
        Assert.Equal(2, second.DeliveryCount);
        Assert.NotEqual(first.LockToken, second.LockToken);
    }

    [Fact]
    public async Task ReceiveAsync_LockExpired_RedeliversAndOldLockIsLost()
    {
        var client = CreateClient();
        await client.SendAsync(new ServiceBusRestMessage("slow") { MessageId = "evt-1" });
        var first = await client.ReceiveAsync(TimeSpan.Zero);
        Assert.NotNull(first);

        _time.Advance(TimeSpan.FromSeconds(31));

        var second = await client.ReceiveAsync(TimeSpan.Zero);
        Assert.NotNull(second);
        Assert.Equal(2, second.DeliveryCount);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.CompleteAsync(first));
        Assert.Equal(404, error.Status);
        Assert.Single(_fake.GetMessages(Queue));
    }

    [Fact]
    public async Task RenewLockAsync_BeforeExpiry_KeepsMessageLocked()
    {
        var client = CreateClient();
        await client.SendAsync(new ServiceBusRestMessage("long job"));
        var received = await client.ReceiveAsync(TimeSpan.Zero);
        Assert.NotNull(received);

        _time.Advance(TimeSpan.FromSeconds(20));
        await client.RenewLockAsync(received);
        _time.Advance(TimeSpan.FromSeconds(20)); // 40 s after receive: past the first lock, inside the renewed one

        Assert.Null(await client.ReceiveAsync(TimeSpan.Zero));
        await client.CompleteAsync(received);
        Assert.Empty(_fake.GetMessages(Queue));
    }

    [Fact]
    public async Task AbandonAsync_MaxDeliveryCountTimes_BrokerDeadLettersMessage()
    {
        var client = CreateClient();
        await client.SendAsync(new ServiceBusRestMessage("always fails") { MessageId = "poison-1" });

        for (var delivery = 1; delivery <= 3; delivery++)
        {
            var received = await client.ReceiveAsync(TimeSpan.Zero);
            Assert.NotNull(received);
            Assert.Equal(delivery, received.DeliveryCount);
            await client.AbandonAsync(received);
        }

        Assert.Null(await client.ReceiveAsync(TimeSpan.Zero));
        Assert.Empty(_fake.GetMessages(Queue));
        var deadLettered = Assert.Single(_fake.GetDeadLetteredMessages(Queue));
        Assert.Equal("poison-1", deadLettered.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", deadLettered.DeadLetterReason);

        var deadLetterClient = CreateClient(queue: Queue + "/$deadletterqueue");
        var fromDeadLetterQueue = await deadLetterClient.ReceiveAsync(TimeSpan.Zero);
        Assert.NotNull(fromDeadLetterQueue);
        Assert.Equal("poison-1", fromDeadLetterQueue.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", fromDeadLetterQueue.UserProperties["DeadLetterReason"]);
        await deadLetterClient.CompleteAsync(fromDeadLetterQueue);
        Assert.Empty(_fake.GetDeadLetteredMessages(Queue));
    }

    [Fact]
    public async Task SendAsync_QueueNotCreated_Throws410()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => CreateClient(queue: "missing").SendAsync(new ServiceBusRestMessage("x")));

        Assert.Equal(410, error.Status);
    }

    [Fact]
    public async Task FakeServer_BatchWithCharsetParameterOrWrongShape_Rejects400()
    {
        using var http = new HttpClient { BaseAddress = _fake.HttpEndpoint };
        var token = ServiceBusSasTokenProvider.CreateToken($"https://{_fake.NamespaceHost}/{Queue}", _fake.KeyName, _fake.Key, _time.GetUtcNow().AddHours(1));

        async Task<int> PostAsync(string body, string contentType)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Queue}/messages") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Headers.TryAddWithoutValidation("Authorization", token);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(400, await PostAsync("""[{"Body":"a"}]""", "application/vnd.microsoft.servicebus.json; charset=utf-8"));
        Assert.Equal(400, await PostAsync("""{"Body":"a"}""", "application/vnd.microsoft.servicebus.json"));
        Assert.Equal(400, await PostAsync("""[{"Body":1}]""", "application/vnd.microsoft.servicebus.json"));
        Assert.Equal(400, await PostAsync("""[]""", "application/vnd.microsoft.servicebus.json"));
        Assert.Empty(_fake.GetMessages(Queue));
        Assert.Equal(201, await PostAsync("""[{"Body":"a"}]""", "application/vnd.microsoft.servicebus.json"));
    }

    private ServiceBusRestClient CreateClient(string queue = Queue, int maxBatchBytes = ServiceBusOptions.StandardTierMaxBytes)
        => new(
            new ServiceBusOptions { ConnectionString = _fake.ConnectionString, QueueName = queue, Endpoint = _fake.HttpEndpoint, MaxBatchBytes = maxBatchBytes },
            clientOptions: new ServiceBusRestClientOptions { Retry = { Delay = TimeSpan.FromMilliseconds(10) } },
            timeProvider: _time);
}
