using Azure.Core;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>
/// Azure.Core pipeline settings of <see cref="ServiceBusRestClient"/>: <see cref="ClientOptions.Retry"/>
/// (transient 408/429/5xx and network failures are retried; 401, 403, 404, 410 and 413 are not) and
/// <see cref="ClientOptions.Transport"/>.
/// </summary>
internal sealed class ServiceBusRestClientOptions : ClientOptions
{
    /// <summary>How long a minted SAS token is valid; it is renewed before it expires.</summary>
    public TimeSpan SasTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
