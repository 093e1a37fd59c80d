namespace Gateway.Domain.Privacy;

/// <summary>Settings of PII detection (section <c>Privacy</c>).</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Azure AI Language endpoint, <c>https://{resource}.cognitiveservices.azure.com/</c>; empty: local detection only.</summary>
    public string? AzureLanguageEndpoint { get; set; }

    /// <summary>The resource key; empty: Microsoft Entra ID (managed identity or the developer's sign-in).</summary>
    public string? AzureLanguageKey { get; set; }

    /// <summary>How long the cloud detector may take for one request's texts, batches included.</summary>
    public TimeSpan DetectorTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Characters of a streamed answer held back while scanning, so that a value split across
    /// events is still caught: the longest value a streamed answer can have redacted. The delay
    /// it adds is this many characters of the model's output.
    /// </summary>
    public int StreamWindowChars { get; set; } = 64;
}
