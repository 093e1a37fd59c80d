namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>The parts of a Service Bus SAS connection string the REST client uses.</summary>
internal sealed record ServiceBusConnectionString(string FullyQualifiedNamespace, string KeyName, string Key, string? EntityPath)
{
    /// <summary>Parses <c>Endpoint=sb://host/;SharedAccessKeyName=...;SharedAccessKey=...[;EntityPath=...]</c>; null and an error when malformed.</summary>
    public static ServiceBusConnectionString? TryParse(string connectionString, out string? error)
    {
        string? endpoint = null, keyName = null, key = null, entityPath = null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Keys are base64 and may end in '=': split on the first '=' only.
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = "The Service Bus connection string has a part without 'name=value'.";
                return null;
            }

            var name = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (name.Equals("Endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("SharedAccessKeyName", StringComparison.OrdinalIgnoreCase))
            {
                keyName = value;
            }
            else if (name.Equals("SharedAccessKey", StringComparison.OrdinalIgnoreCase))
            {
                key = value;
            }
            else if (name.Equals("EntityPath", StringComparison.OrdinalIgnoreCase))
            {
                entityPath = value;
            }
            else if (name.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase))
            {
                error = "Service Bus connection strings holding a ready-made SharedAccessSignature are not supported; use SharedAccessKeyName and SharedAccessKey.";
                return null;
            }
        }

        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri) || endpointUri.Scheme != "sb" || endpointUri.Host.Length == 0)
        {
            error = "The Service Bus connection string needs Endpoint=sb://{namespace}.servicebus.windows.net/.";
            return null;
        }

        if (string.IsNullOrEmpty(keyName) || string.IsNullOrEmpty(key))
        {
            error = "The Service Bus connection string needs SharedAccessKeyName and SharedAccessKey.";
            return null;
        }

        error = null;
        return new ServiceBusConnectionString(endpointUri.Host, keyName, key, string.IsNullOrEmpty(entityPath) ? null : entityPath);
    }

    // The key is a secret: keep it out of logs and exception messages that format the record.
    public override string ToString() => $"Endpoint=sb://{FullyQualifiedNamespace}/;SharedAccessKeyName={KeyName};SharedAccessKey=***";
}
