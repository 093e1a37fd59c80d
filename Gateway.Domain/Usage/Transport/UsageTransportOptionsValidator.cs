using System.Net;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Transport;

/// <summary>Checks the usage transport settings, naming the setting to fix in every failure.</summary>
internal sealed class UsageTransportOptionsValidator : IValidateOptions<UsageTransportOptions>
{
    public ValidateOptionsResult Validate(string? name, UsageTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.TryParse<UsageTransportKind>(options.Transport, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(options.Transport, out _))
        {
            failures.Add($"The setting {UsageTransportOptions.TransportSetting} must be StorageQueue or ServiceBus; got '{options.Transport}'.");
            kind = UsageTransportKind.StorageQueue;
        }

        if (!Enum.TryParse<UsageCompression>(options.Compression, ignoreCase: true, out var compression) || !Enum.IsDefined(compression) || int.TryParse(options.Compression, out _))
        {
            failures.Add($"The setting {UsageTransportOptions.CompressionSetting} must be gzip or none; got '{options.Compression}'.");
        }

        if (kind == UsageTransportKind.StorageQueue && !IsStorageQueueName(options.QueueName))
        {
            failures.Add($"The setting {UsageTransportOptions.QueueNameSetting} must be a Storage queue name: 3-56 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (56 leaves room for the '-poison' queue); got '{options.QueueName}'.");
        }
        else if (kind == UsageTransportKind.ServiceBus && !IsEntityPath(options.QueueName))
        {
            failures.Add($"The setting {UsageTransportOptions.QueueNameSetting} must be a Service Bus queue name (letters, digits, '.', '-', '_', '/'); got '{options.QueueName}'.");
        }

        ValidateStorage(options, kind, failures);
        if (kind == UsageTransportKind.ServiceBus)
        {
            ValidateServiceBus(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateStorage(UsageTransportOptions options, UsageTransportKind kind, List<string> failures)
    {
        const string storage = UsageTransportOptions.StorageSetting;
        if (!options.StorageUsesIdentity)
        {
            return;
        }

        // Microsoft Entra ID: the Functions host's identity-based connection settings.
        if (kind == UsageTransportKind.StorageQueue && options.StorageQueueServiceUri is null)
        {
            failures.Add($"Set the setting {storage} (a connection string) or the setting {storage}__queueServiceUri (Microsoft Entra ID) for the usage queue.");
        }

        if (options.StorageBlobServiceUri is null)
        {
            failures.Add($"Set the setting {storage} (a connection string) or the setting {storage}__blobServiceUri (Microsoft Entra ID): oversized usage events are stored as claim-check blobs in that account.");
        }

        foreach (var (setting, uri) in new[] { ("__queueServiceUri", options.StorageQueueServiceUri), ("__blobServiceUri", options.StorageBlobServiceUri) })
        {
            if (uri is not null && !IsAllowedServiceUri(uri))
            {
                failures.Add($"The setting {storage}{setting} must be an absolute https URI such as https://{{account}}.queue.core.windows.net (http only on loopback).");
            }
        }
    }

    private static void ValidateServiceBus(UsageTransportOptions options, List<string> failures)
    {
        const string serviceBus = UsageTransportOptions.ServiceBusSetting;
        var hasConnectionString = options.ServiceBusConnectionString is not null;
        var hasNamespace = options.ServiceBusNamespace is not null;
        if (hasConnectionString == hasNamespace)
        {
            failures.Add($"Set exactly one of the setting {serviceBus} (a SAS connection string) and the setting {serviceBus}__fullyQualifiedNamespace (Microsoft Entra ID) for the Service Bus usage transport.");
        }

        if (hasConnectionString && ConnectionStringError(options.ServiceBusConnectionString!) is { } error)
        {
            failures.Add($"The setting {serviceBus} is invalid: {error}");
        }

        if (hasNamespace && Uri.CheckHostName(options.ServiceBusNamespace) != UriHostNameType.Dns)
        {
            failures.Add($"The setting {serviceBus}__fullyQualifiedNamespace must be a host name such as {{namespace}}.servicebus.windows.net, without scheme or path.");
        }
    }

    // The SDK's own parser (what ServiceBusClient does with it); the key is never part of the message.
    private static string? ConnectionStringError(string connectionString)
    {
        try
        {
            var properties = ServiceBusConnectionStringProperties.Parse(connectionString);
            if (properties.Endpoint is null)
            {
                return "it has no Endpoint=sb://{namespace}.servicebus.windows.net/.";
            }

            return string.IsNullOrEmpty(properties.SharedAccessKeyName) && string.IsNullOrEmpty(properties.SharedAccessSignature)
                ? "it has neither SharedAccessKeyName/SharedAccessKey nor SharedAccessSignature."
                : null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return "it is not a Service Bus connection string (Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...).";
        }
    }

    // Service Bus entity names: letters, digits, '.', '-', '_' and '/' separators.
    internal static bool IsEntityPath(string path)
        => path.Length is > 0 and <= 260
            && path[0] != '/' && path[^1] != '/'
            && path.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/');

    // Storage queue names: 3-63 chars, lowercase letters, digits and hyphens, no leading, trailing or
    // doubled hyphen ("Naming Queues and Metadata"); 56 at most so that "{name}-poison" is valid too.
    internal static bool IsStorageQueueName(string? name)
        => name is { Length: >= 3 and <= 56 }
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && !name.Contains("--", StringComparison.Ordinal)
            && name.All(static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static bool IsAllowedServiceUri(Uri uri)
        => uri.IsAbsoluteUri
            && (uri.Scheme == Uri.UriSchemeHttps
                || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)))));
}
