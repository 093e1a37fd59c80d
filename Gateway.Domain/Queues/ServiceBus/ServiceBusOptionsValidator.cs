using System.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>Exactly one of connection string and namespace; a queue; a sane batch size; a safe endpoint override.</summary>
internal sealed class ServiceBusOptionsValidator : IValidateOptions<ServiceBusOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasNamespace = !string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace);
        string? entityPath = null;

        if (hasConnectionString == hasNamespace)
        {
            failures.Add("Set exactly one of ServiceBus__ConnectionString (SAS) and ServiceBus__FullyQualifiedNamespace (Microsoft Entra ID).");
        }

        if (hasConnectionString)
        {
            var parsed = ServiceBusConnectionString.TryParse(options.ConnectionString!, out var error);
            if (parsed is null)
            {
                failures.Add(error!);
            }

            entityPath = parsed?.EntityPath;
        }

        if (hasNamespace && Uri.CheckHostName(options.FullyQualifiedNamespace) != UriHostNameType.Dns)
        {
            failures.Add("ServiceBus__FullyQualifiedNamespace must be a host name such as {namespace}.servicebus.windows.net, without scheme or path.");
        }

        var queue = string.IsNullOrWhiteSpace(options.QueueName) ? entityPath : options.QueueName;
        if (queue is null)
        {
            failures.Add("ServiceBus__QueueName is required (or an EntityPath in the connection string).");
        }
        else if (!IsEntityPath(queue))
        {
            failures.Add("ServiceBus__QueueName may hold only letters, digits, '.', '-', '_', '/' and '$' (for $deadletterqueue).");
        }
        else if (entityPath is not null && !string.IsNullOrWhiteSpace(options.QueueName) && !entityPath.Equals(options.QueueName, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("ServiceBus__QueueName and the connection string's EntityPath name different queues.");
        }

        if (options.MaxBatchBytes < 1024)
        {
            failures.Add("ServiceBus__MaxBatchBytes must be at least 1024.");
        }

        if (options.Endpoint is { } endpoint && !IsAllowedEndpoint(endpoint))
        {
            failures.Add("ServiceBus__Endpoint must be an absolute https URI, or http on a loopback address (tests only).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Service Bus entity names: letters, digits, '.', '-', '_' and '/' separators; '$' reaches the
    // $deadletterqueue subqueue. Nothing here needs escaping in a URI path.
    internal static bool IsEntityPath(string path)
        => path.Length is > 0 and <= 260
            && path[0] != '/' && path[^1] != '/'
            && path.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or '$');

    // A SAS token or bearer token sent in clear text to another machine would be a leaked credential.
    internal static bool IsAllowedEndpoint(Uri endpoint)
        => endpoint.IsAbsoluteUri
            && (endpoint.Scheme == Uri.UriSchemeHttps
                || (endpoint.Scheme == Uri.UriSchemeHttp && (endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host, out var ip) && IPAddress.IsLoopback(ip)))));
}
