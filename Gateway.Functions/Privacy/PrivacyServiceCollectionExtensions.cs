using Gateway.Domain.Privacy;
using Gateway.Domain.Privacy.Azure;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Privacy;

internal static class PrivacyServiceCollectionExtensions
{
    /// <summary>PII policies on the request path: the privacy step, the scanner, Azure AI Language when <c>Privacy__AzureLanguageEndpoint</c> is set.</summary>
    public static IHostApplicationBuilder AddGatewayPrivacy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrivacyOptions>().Bind(builder.Configuration.GetSection(PrivacyOptions.Section));
        builder.Services.AddSingleton<IPiiCloudDetector, AzureLanguagePiiDetector>();
        builder.Services.AddSingleton<PiiScanner>();
        builder.Services.AddProxyStep<PrivacyStep>(ProxyStepOrder.Privacy);
        return builder;
    }
}
