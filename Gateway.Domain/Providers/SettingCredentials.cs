using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Providers;

/// <summary>
/// The credential rule of provider settings, in one place: which parameters are credentials
/// (<see cref="ProviderCredentials.IsSecret"/>), that those are stored only encrypted
/// (<see cref="CredentialProtector"/>), and that a parameter once stored as a credential stays one
/// even if its name would no longer classify it so. Provider settings and custom providers (whose
/// <c>authentication_param</c> can turn a plain parameter into a credential) both store through it.
/// </summary>
public sealed partial class SettingCredentials(CredentialProtector protector, ILogger<SettingCredentials> logger)
{
    /// <summary>The setting's decrypted credentials (empty when it has none); false when they cannot be decrypted with the configured key.</summary>
    public bool TryReveal(ProviderSetting setting, out Dictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(setting);
        try
        {
            secrets = setting.EncryptedSecrets is null ? [] : protector.Unprotect(setting.EncryptedSecrets);
            return true;
        }
        catch (CryptographicException ex)
        {
            LogUndecryptable(logger, setting.Id, ex);
            secrets = [];
            return false;
        }
    }

    /// <summary>Every parameter of the setting in plain text: its plain parameters and its decrypted credentials.</summary>
    public static Dictionary<string, string> Merge(ProviderSetting setting, Dictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(secrets);
        var all = new Dictionary<string, string>(setting.Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in secrets)
        {
            all[name] = value;
        }

        return all;
    }

    /// <summary>
    /// Classifies <paramref name="values"/> (every parameter, in plain text) and stores them on
    /// <paramref name="setting"/>: credentials encrypted, the rest plain. Returns the credentials.
    /// <paramref name="wereSecret"/> are the setting's credential names before this change: they stay credentials.
    /// </summary>
    public Dictionary<string, string> Store(ProviderSetting setting, IReadOnlyDictionary<string, string> values, string? authenticationParam, IEnumerable<string> wereSecret)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(wereSecret);
        var (parameters, secrets) = ProviderCredentials.Split(values, authenticationParam);
        foreach (var name in wereSecret.Where(parameters.ContainsKey).ToList())
        {
            secrets[name] = parameters[name];
            parameters.Remove(name);
        }

        setting.Parameters = parameters;
        setting.EncryptedSecrets = secrets.Count == 0 ? null : protector.Protect(secrets);
        return secrets;
    }

    [LoggerMessage(2022, LogLevel.Warning, "Could not decrypt the credentials of provider setting {SettingId}")]
    private static partial void LogUndecryptable(ILogger logger, string settingId, Exception exception);
}
