using Gateway.Domain.Config;

namespace Gateway.Domain.Keys;

/// <summary>
/// The answer of <see cref="IApiKeyStore"/>: <see cref="Key"/> is null when the hash is unknown;
/// <see cref="Snapshot"/> is the configuration to authorize the request against (it holds the
/// key's provider settings and users, even when the key itself came from outside the snapshot).
/// </summary>
public readonly record struct KeyLookup(ApiKey? Key, ConfigSnapshot Snapshot);
