using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Tests.Usage.Publishing;

/// <summary>The real publisher and Storage transport, wired as the proxy wires them, without a host.</summary>
internal sealed class PublisherHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PublisherHarness(ServiceProvider services, CapturedLogs logs, string queueName)
    {
        _services = services;
        Logs = logs;
        QueueName = queueName;
    }

    public UsageEventPublisher Publisher => _services.GetRequiredService<UsageEventPublisher>();

    public IUsageEventTransport Transport => _services.GetRequiredService<IUsageEventTransport>();

    public UsageQueueClients Clients => _services.GetRequiredService<UsageQueueClients>();

    public CapturedLogs Logs { get; }

    public string QueueName { get; }

    public static PublisherHarness Create(string storage, string spillFolder, Dictionary<string, string?>? settings = null, string? queueName = null)
    {
        queueName ??= TestEnvironment.UniqueName("pub-");
        var values = new Dictionary<string, string?>
        {
            ["UsageQueueStorage"] = storage,
            ["UsageQueueName"] = queueName,
            ["UsagePublisher:SpillFolder"] = spillFolder,
            ["UsagePublisher:RetryMaxDelay"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new CapturedLogs();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information))
            .AddGatewayUsageTransport(configuration)
            .AddGatewayUsagePublisher(configuration)
            .BuildServiceProvider();
        return new PublisherHarness(services, logs, queueName);
    }

    public Task StartAsync() => Publisher.StartAsync(CancellationToken.None);

    /// <summary>A graceful stop, as the host does it; returns how long it took.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        var watch = Stopwatch.StartNew();
        await Publisher.StopAsync(CancellationToken.None);
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    public static UsageEventMessage Event(string run, int i, int bodyChars = 0) => UsageTestEvents.Chat(run, i, bodyChars);

    /// <summary>Every message on the queue, in dequeue order, decoded as the batch envelope with System.Text.Json.</summary>
    public static async Task<List<ReadMessage>> ReadQueueAsync(string storage, string queueName)
    {
        var queue = new QueueClient(storage, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var read = new List<ReadMessage>();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value;
            if (messages.Length == 0)
            {
                return read;
            }

            foreach (var message in messages)
            {
                var body = message.Body.ToArray();
                var json = body is [0x1f, 0x8b, ..] ? GzipBytes.Inflate(body) : body; // gzip unless UsageTransport__Compression=none
                var envelope = JsonSerializer.Deserialize<UsageBatchEnvelope>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
                var events = envelope.Events.Select(e => UsageMessageCodec.TryParse(e.GetRawText(), out var error) ?? throw new InvalidOperationException(error)).ToList();
                read.Add(new ReadMessage(envelope, events, body.Length, message.MessageText.Length));
            }
        }
    }

    public static int SpillLines(string spillRoot)
        => Directory.Exists(spillRoot)
            ? Directory.GetFiles(spillRoot, "*.jsonl", SearchOption.AllDirectories).Sum(f => File.ReadAllLines(f).Length)
            : 0;

    /// <summary>One message; <paramref name="JsonBytes"/> is the body's size on the wire (gzip unless compression is off).</summary>
    public sealed record ReadMessage(UsageBatchEnvelope Envelope, List<UsageEventMessage> Events, int JsonBytes, int Base64Chars);
}

/// <summary>Every log line the publisher writes, for assertions on what it says.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : $" [{exception.GetType().Name}: {exception.Message.Split('\n')[0]}]")));
    }
}
