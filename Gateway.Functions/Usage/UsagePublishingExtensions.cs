using Gateway.Domain.Usage.Publishing;

namespace Gateway.Functions.Usage;

internal static class UsagePublishingExtensions
{
    /// <summary>Usage events go to a bounded in-memory buffer and from there, in batches, to the configured queue.</summary>
    public static WebApplicationBuilder AddUsagePublishing(this WebApplicationBuilder builder)
    {
        builder.Services.AddGatewayUsagePublisher(builder.Configuration);
        return builder;
    }
}
