namespace Gateway.Domain.Keys;

/// <summary>
/// Finds a gateway key by its hash for the proxy's authenticate step: the in-memory config
/// snapshot first, and (once read-your-writes lands) the Redis config cache on a miss.
/// </summary>
public interface IApiKeyStore
{
    ValueTask<KeyLookup> LookupAsync(ApiKeyHash hash, CancellationToken cancellationToken);
}
