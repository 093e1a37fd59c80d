using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gateway.Domain.Providers;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Decrypts a setting's credentials once per version of the setting (its id and <c>updatedAt</c>)
/// and keeps them in memory only: not per request, and never in Redis or logs in the clear.
/// </summary>
internal sealed partial class ProviderSecretsCache(CredentialProtector protector, ILogger<ProviderSecretsCache> logger) : IProviderSecrets
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();
    private readonly ConcurrentDictionary<(string Id, long UpdatedAt), IReadOnlyDictionary<string, string>> _cache = new();

    public IReadOnlyDictionary<string, string> Get(ProviderSetting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (setting.EncryptedSecrets is not { Length: > 0 } encrypted)
        {
            return None;
        }

        return _cache.GetOrAdd((setting.Id, setting.UpdatedAt), _ =>
        {
            // A new version of the setting replaces the old one's entry.
            foreach (var stale in _cache.Keys.Where(k => k.Id == setting.Id && k.UpdatedAt != setting.UpdatedAt))
            {
                _cache.TryRemove(stale, out IReadOnlyDictionary<string, string>? _);
            }

            try
            {
                return protector.Unprotect(encrypted);
            }
            catch (CryptographicException ex)
            {
                LogUndecryptable(logger, setting.Id, ex);
                return None;
            }
        });
    }

    [LoggerMessage(4100, LogLevel.Error, "The credentials of provider setting {SettingId} cannot be decrypted with the configured Encryption__Key")]
    private static partial void LogUndecryptable(ILogger logger, string settingId, Exception exception);
}
