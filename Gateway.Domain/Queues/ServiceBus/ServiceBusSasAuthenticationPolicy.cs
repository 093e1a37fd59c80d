using Azure.Core;
using Azure.Core.Pipeline;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>Sets <c>Authorization: SharedAccessSignature ...</c> on every try, so a retry after renewal carries a fresh token.</summary>
internal sealed class ServiceBusSasAuthenticationPolicy(ServiceBusSasTokenProvider tokens) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, tokens.GetToken());
    }
}
