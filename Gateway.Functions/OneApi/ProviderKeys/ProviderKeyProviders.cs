using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.OneApi.ProviderKeys;

/// <summary>
/// What a provider key can reach: the providers whose only credential is that key, OpenAI
/// (<c>sk-...</c>) and Anthropic (<c>sk-ant-...</c>), each only with a key of its own shape, so that a
/// caller's Anthropic key never goes to OpenAI because of a <c>gpt-*</c> model (nor the reverse).
/// Azure needs a resource, Bedrock AWS credentials, custom and OpenAI-compatible providers settings
/// that belong to gateway keys: for those the caller needs a gateway key. The settings here stand in
/// for a key's (they carry no secret: the caller's key is applied instead) so that model resolution,
/// translation and forwarding run as for a gateway key.
/// </summary>
internal static class ProviderKeyProviders
{
    private const string KeyPrefix = "sk-";
    private const string AnthropicKeyPrefix = "sk-ant-";

    private static readonly ProviderSetting[] OpenAi = [new() { Id = "provider-key:" + BuiltInProviders.OpenAi, Provider = BuiltInProviders.OpenAi }];

    private static readonly ProviderSetting[] Anthropic = [new() { Id = "provider-key:" + BuiltInProviders.Anthropic, Provider = BuiltInProviders.Anthropic }];

    /// <summary>The provider whose key <paramref name="bearer"/> looks like, or null: a bearer of no provider key's shape is never forwarded.</summary>
    public static string? ProviderOf(string bearer)
    {
        ArgumentNullException.ThrowIfNull(bearer);
        return !bearer.StartsWith(KeyPrefix, StringComparison.Ordinal) || bearer.Length <= AnthropicKeyPrefix.Length ? null
            : bearer.StartsWith(AnthropicKeyPrefix, StringComparison.Ordinal) ? BuiltInProviders.Anthropic
            : BuiltInProviders.OpenAi;
    }

    /// <summary>The authorize step for a provider-key caller: a known one-API path, then the provider the key's shape names.</summary>
    public static StepResult Authorize(ProxyContext context, string provider)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Adapter.IsKnownPath(context.Path))
        {
            return StepResult.End(ProxyOutcome.NotFound($"path {context.PublicPath} is not a known {context.Adapter.Name} endpoint"));
        }

        context.Settings.AddRange(provider == BuiltInProviders.Anthropic ? Anthropic : OpenAi);
        return StepResult.Continue;
    }

    /// <summary>The 400 for a model the caller's provider key cannot reach, with what the resolver tried.</summary>
    public static string Unreachable(string model, string resolverError)
        => $"model '{model}' cannot be used with this provider key: an OpenAI key (sk-...) reaches only OpenAI ('openai/<model>', gpt-*, o1*, o3*, o4*, "
            + $"text-embedding-*), an Anthropic key (sk-ant-...) only Anthropic ('anthropic/<model>', claude-*); Azure, Bedrock, custom and "
            + $"OpenAI-compatible providers need a gateway key with a provider setting of them ({resolverError})";
}
