using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Configuration;

namespace Gateway.Domain.Tests.Usage;

public sealed class UsageTransportOptionsTests
{
    private const string ServiceBusConnectionString = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5";

    [Fact]
    public void Bind_Nothing_IsAzuriteStorageQueueUsageEvents()
    {
        var options = Bind([]);
        Assert.Equal(UsageTransportKind.StorageQueue, options.Kind);
        Assert.Equal("usage-events", options.QueueName);
        Assert.Equal("UseDevelopmentStorage=true", options.StorageConnectionString);
        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Bind_IdentityBasedStorage_HasNoConnectionStringDefault()
    {
        var options = Bind(new()
        {
            ["UsageQueueStorage:queueServiceUri"] = "https://acct.queue.core.windows.net",
            ["UsageQueueStorage:blobServiceUri"] = "https://acct.blob.core.windows.net",
            ["UsageQueueStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });
        Assert.True(options.StorageUsesIdentity);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), options.StorageQueueServiceUri);
        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Validate_ServiceBusWithConnectionString_Succeeds()
    {
        var options = Bind(new() { ["UsageTransport"] = "ServiceBus", ["UsageServiceBus"] = ServiceBusConnectionString });
        Assert.Equal(UsageTransportKind.ServiceBus, options.Kind);
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("UsageTransport", "Kafka", "UsageTransport")]
    [InlineData("UsageTransport", "1", "UsageTransport")]
    [InlineData("UsageQueueName", "Usage_Events", "UsageQueueName")]
    [InlineData("UsageQueueName", "ab", "UsageQueueName")]
    [InlineData("UsageQueueName", "a-very-long-queue-name-that-leaves-no-room-for-poison-suffix", "UsageQueueName")]
    public void Validate_BadSetting_NamesIt(string setting, string value, string named)
    {
        var result = Validate(Bind(new() { [setting] = value }));
        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }

    [Fact]
    public void Validate_ServiceBusWithoutCredentials_NamesBothSettings()
    {
        var result = Validate(Bind(new() { ["UsageTransport"] = "ServiceBus" }));
        Assert.Contains("UsageServiceBus", result.FailureMessage);
        Assert.Contains("UsageServiceBus__fullyQualifiedNamespace", result.FailureMessage);
    }

    [Fact]
    public void Validate_IdentityStorageWithoutBlobUri_NamesTheClaimCheckSetting()
    {
        var result = Validate(Bind(new() { ["UsageQueueStorage:queueServiceUri"] = "https://acct.queue.core.windows.net" }));
        Assert.Contains("UsageQueueStorage__blobServiceUri", result.FailureMessage);
    }

    [Fact]
    public void Validate_PlainHttpServiceUriOffLoopback_IsRefused()
    {
        var result = Validate(Bind(new()
        {
            ["UsageQueueStorage:queueServiceUri"] = "http://acct.queue.core.windows.net",
            ["UsageQueueStorage:blobServiceUri"] = "not a uri",
        }));
        Assert.Contains("UsageQueueStorage__queueServiceUri", result.FailureMessage);
        Assert.Contains("UsageQueueStorage__blobServiceUri", result.FailureMessage);
    }

    private static UsageTransportOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new UsageTransportOptions();
        options.Bind(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return options;
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(UsageTransportOptions options)
        => new UsageTransportOptionsValidator().Validate(null, options);
}
