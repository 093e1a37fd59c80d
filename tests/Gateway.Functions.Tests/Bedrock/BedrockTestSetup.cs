using Gateway.Domain.Config;
using Gateway.Domain.Providers;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Bedrock;

/// <summary>Bedrock settings on a <see cref="ProxyTestHost"/> (whose <c>Providers:Bedrock:BaseUrl</c> is the fake), and the npm SDK scripts.</summary>
internal static class BedrockTestSetup
{
    /// <summary>A Bedrock model id with the version suffix whose <c>:</c> is escaped in the URL.</summary>
    public const string Model = "anthropic.claude-3-5-haiku-20241022-v1:0";

    /// <summary>The same model through a cross-region inference profile.</summary>
    public const string ProfileModel = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

    public const string Region = "us-east-1";

    /// <summary>The path the fake receives for <paramref name="model"/>, as sent (the <c>:</c> escaped).</summary>
    public static string InvokePath(string model, bool stream)
        => "/model/" + Uri.EscapeDataString(model) + (stream ? "/invoke-with-response-stream" : "/invoke");

    /// <summary>A Bedrock setting with AWS's example credentials (the fake verifies signatures with them) in <see cref="Region"/>.</summary>
    public static async Task<ProviderSetting> AddBedrockSettingAsync(this ProxyTestHost host, string secretAccessKey = FakeBedrockBehavior.ExampleSecretAccessKey, params string[] allowedModels)
    {
        var setting = TestData.NewSetting(BuiltInProviders.Bedrock);
        setting.EncryptedSecrets = host.Protector.Protect(new Dictionary<string, string>
        {
            [ProviderCredentials.AwsAccessKeyId] = FakeBedrockBehavior.ExampleAccessKeyId,
            [ProviderCredentials.AwsSecretAccessKey] = secretAccessKey,
        });
        setting.Parameters = new() { ["awsRegion"] = Region };
        setting.AllowedModels = [.. allowedModels];
        await new ConfigCacheWriter(host.Redis).UpsertAsync(setting);
        await host.WaitUntilAsync(s => s.ProviderSettings.ContainsKey(setting.Id));
        return setting;
    }
}
