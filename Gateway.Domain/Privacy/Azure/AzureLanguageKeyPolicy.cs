using Azure.Core;
using Azure.Core.Pipeline;

namespace Gateway.Domain.Privacy.Azure;

/// <summary>Adds the resource key header (Azure.Core's own key policy is internal).</summary>
internal sealed class AzureLanguageKeyPolicy(string key) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Request.Headers.SetValue(AzureLanguagePiiDetector.KeyHeader, key);
    }
}
