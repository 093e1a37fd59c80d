using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;

namespace Gateway.Functions.Usage;

internal static class UsagePublishingExtensions
{
    /// <summary>
    /// Usage events go to a bounded in-memory buffer and from there, in batches, to the queue that
    /// <c>UsageTransport</c> names (a Storage queue by default, or Service Bus).
    /// </summary>
    public static IHostApplicationBuilder AddUsagePublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGatewayUsageTransport(builder.Configuration);
        builder.Services.AddGatewayUsagePublisher(builder.Configuration);
        return builder;
    }
}
