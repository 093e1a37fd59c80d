namespace Gateway.Domain.Providers;

/// <summary>
/// Which parameters of a provider setting are credentials (encrypted, never returned or logged)
/// and which are plain configuration (<c>resourceName</c>, <c>url</c>, <c>awsRegion</c>, ...).
/// </summary>
public static class ProviderCredentials
{
    /// <summary>The normalised name of an API key parameter; BricksLLM also accepts <c>apiKey</c>.</summary>
    public const string ApiKey = "apikey";
    public const string AwsAccessKeyId = "awsAccessKeyId";
    public const string AwsSecretAccessKey = "awsSecretAccessKey";

    /// <summary>Optional, with temporary AWS credentials (STS).</summary>
    public const string AwsSessionToken = "awsSessionToken";

    /// <summary><c>apiKey</c> becomes <c>apikey</c>; every other name is kept as given.</summary>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Equals(name, "apiKey", StringComparison.Ordinal) ? ApiKey : name;
    }

    /// <param name="name">A normalised parameter name.</param>
    /// <param name="authenticationParam">The custom provider's credential parameter, if the setting is for one.</param>
    public static bool IsSecret(string name, string? authenticationParam)
        => name is ApiKey or AwsAccessKeyId or AwsSecretAccessKey or AwsSessionToken
           || (!string.IsNullOrEmpty(authenticationParam) && string.Equals(name, authenticationParam, StringComparison.OrdinalIgnoreCase));

    /// <summary>Splits normalised parameters into plain ones and secret ones.</summary>
    public static (Dictionary<string, string> Parameters, Dictionary<string, string> Secrets) Split(
        IReadOnlyDictionary<string, string> setting, string? authenticationParam)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in setting)
        {
            (IsSecret(name, authenticationParam) ? secrets : parameters)[name] = value;
        }

        return (parameters, secrets);
    }
}
