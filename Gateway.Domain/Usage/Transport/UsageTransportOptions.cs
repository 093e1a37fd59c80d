using Gateway.Domain.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Where usage events are queued. The names are flat (no section) because the Functions host
/// resolves them literally: <c>%UsageQueueName%</c> in the queue trigger, and
/// <c>UsageQueueStorage</c> as its <c>connection</c> (<c>UsageServiceBus</c> likewise for the Service Bus client), with the
/// host's identity-based convention (<c>{connection}__queueServiceUri</c>,
/// <c>{connection}__fullyQualifiedNamespace</c>, <c>{connection}__clientId</c>).
/// </summary>
public sealed class UsageTransportOptions
{
    /// <summary>Not a configuration section: every property names its flat setting.</summary>
    public const string Section = "UsageTransport";

    public const string TransportSetting = "UsageTransport";
    public const string QueueNameSetting = "UsageQueueName";
    public const string StorageSetting = "UsageQueueStorage";
    public const string ServiceBusSetting = "UsageServiceBus";
    public const string CompressionSetting = TransportSetting + "__Compression";

    public const string DefaultQueueName = "usage-events";

    /// <summary>Azurite's well-known development account: the local stack's default.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary><c>StorageQueue</c> (default) or <c>ServiceBus</c>.</summary>
    [SettingName(TransportSetting)]
    public string Transport { get; set; } = nameof(UsageTransportKind.StorageQueue);

    /// <summary>
    /// <c>gzip</c> (default) or <c>none</c>: how the proxy writes each message (<see cref="UsageCompression"/>).
    /// The ingest reads both whatever this says, so deploy it first (or send <c>none</c> during a rolling upgrade).
    /// </summary>
    [SettingName(CompressionSetting)]
    public string Compression { get; set; } = "gzip";

    [SettingName(QueueNameSetting)]
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>Storage connection string: the queue (Storage transport) and the claim-check blobs (both transports).</summary>
    [SettingName(StorageSetting)]
    public string? StorageConnectionString { get; set; }

    /// <summary>Microsoft Entra ID instead of a connection string: <c>https://{account}.queue.core.windows.net</c>.</summary>
    [SettingName(StorageSetting + "__queueServiceUri")]
    public Uri? StorageQueueServiceUri { get; set; }

    /// <summary>Microsoft Entra ID: <c>https://{account}.blob.core.windows.net</c>, for claim-check blobs.</summary>
    [SettingName(StorageSetting + "__blobServiceUri")]
    public Uri? StorageBlobServiceUri { get; set; }

    /// <summary>A user-assigned managed identity's client id for the storage account (else DefaultAzureCredential's choice).</summary>
    [SettingName(StorageSetting + "__clientId")]
    public string? StorageClientId { get; set; }

    /// <summary>Service Bus connection string (<c>Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...</c>).</summary>
    [SettingName(ServiceBusSetting)]
    public string? ServiceBusConnectionString { get; set; }

    /// <summary>Microsoft Entra ID instead of a connection string: <c>{namespace}.servicebus.windows.net</c>.</summary>
    [SettingName(ServiceBusSetting + "__fullyQualifiedNamespace")]
    public string? ServiceBusNamespace { get; set; }

    [SettingName(ServiceBusSetting + "__clientId")]
    public string? ServiceBusClientId { get; set; }

    public UsageTransportKind Kind
        => Enum.TryParse<UsageTransportKind>(Transport, ignoreCase: true, out var kind) ? kind : UsageTransportKind.StorageQueue;

    public UsageCompression CompressionKind
        => Enum.TryParse<UsageCompression>(Compression, ignoreCase: true, out var compression) ? compression : UsageCompression.Gzip;

    /// <summary>The storage account is reached with Microsoft Entra ID rather than a connection string.</summary>
    public bool StorageUsesIdentity => string.IsNullOrWhiteSpace(StorageConnectionString);

    /// <summary>Reads the flat settings. Azurite is the default only when no storage setting is given at all.</summary>
    public void Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Transport = NullIfBlank(configuration[TransportSetting]) ?? Transport;
        QueueName = NullIfBlank(configuration[QueueNameSetting]) ?? QueueName;
        Compression = NullIfBlank(configuration.GetSection(TransportSetting)["Compression"]) ?? Compression;
        var storage = configuration.GetSection(StorageSetting);
        StorageConnectionString = NullIfBlank(storage.Value);
        StorageQueueServiceUri = UriOrNull(storage["queueServiceUri"]);
        StorageBlobServiceUri = UriOrNull(storage["blobServiceUri"]);
        StorageClientId = NullIfBlank(storage["clientId"]);
        if (StorageConnectionString is null && StorageQueueServiceUri is null && StorageBlobServiceUri is null)
        {
            StorageConnectionString = DevelopmentStorage;
        }

        var serviceBus = configuration.GetSection(ServiceBusSetting);
        ServiceBusConnectionString = NullIfBlank(serviceBus.Value);
        ServiceBusNamespace = NullIfBlank(serviceBus["fullyQualifiedNamespace"]);
        ServiceBusClientId = NullIfBlank(serviceBus["clientId"]);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // A malformed URI becomes a relative one, which the validator rejects naming the setting.
    private static Uri? UriOrNull(string? value)
        => NullIfBlank(value) is { } text ? (Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : new Uri("not-an-absolute-uri", UriKind.Relative)) : null;
}
