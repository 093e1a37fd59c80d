using Gateway.Domain.Config;

namespace Gateway.Domain.Keys;

/// <summary>
/// The answer of <see cref="IApiKeyStore"/>: <see cref="Key"/> is null when the hash is unknown;
/// <see cref="Snapshot"/> is the configuration to authorize the request against (it holds the
/// key's provider settings and users, even when the key itself came from outside the snapshot).
/// </summary>
public readonly record struct KeyLookup(ApiKey? Key, ConfigSnapshot Snapshot)
{
    /// <summary>
    /// The store knows the hash is no gateway key: the Redis config cache answered "unknown" (now or
    /// within <c>KeyLookup__NegativeCacheTtl</c>). False with a null <see cref="Key"/> when it could
    /// not tell (lookup shed or failed): such a bearer must not be treated as anything but a gateway key.
    /// </summary>
    public bool Absent { get; init; }
}
