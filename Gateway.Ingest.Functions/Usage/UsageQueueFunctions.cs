using System.Text.Json;
using Gateway.Domain.Hosting;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// The two queue-triggered functions, one per transport, with the same handler
/// (<see cref="UsageIngestor"/>): <c>usage_storage_queue</c> (queueTrigger) and <c>usage_service_bus</c>
/// (serviceBusTrigger). A deployment disables the one it does not use with the app setting
/// <c>AzureWebJobs.{name}.Disabled = true</c> (the names use '_': on Linux a function whose name
/// contains '-' cannot be disabled by that setting). Standalone, a hosted consumer of the configured
/// transport calls the same handler.
/// </summary>
/// <remarks>
/// A batch's undecodable elements go to the Storage poison queue with their reason and the rest is
/// ingested (<see cref="UsageIngestor"/>). A message that cannot be read at all answers 500 like a
/// transient failure: the host retries it (<c>maxDequeueCount</c>, default 5) and then moves it to
/// <c>{queue}-poison</c>; Service Bus dead-letters it after the queue's MaxDeliveryCount. The reason
/// is in the logs. With <c>"cardinality": "many"</c> an unreadable message fails its whole
/// invocation: the others are stored on the first attempt (and are no-ops on redelivery), so what
/// ends in the dead-letter queue is harmless to replay.
/// </remarks>
internal static class UsageQueueFunctions
{
    public const string StorageQueueFunction = "usage_storage_queue";
    public const string ServiceBusFunction = "usage_service_bus";

    public static WebApplicationBuilder AddUsageIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddGatewayUsageIngest(builder.Configuration);
        builder.Services.AddOptions<UsageConsumerOptions>().Bind(builder.Configuration.GetSection(UsageConsumerOptions.Section)).ValidateOnStart();
        builder.Services.AddSettingsValidator(UsageConsumerOptions.Section, new UsageConsumerOptionsValidator());

        // Under the Functions host the triggers call us; standalone we consume the queue ourselves.
        var consumer = builder.Configuration.GetValue($"{UsageConsumerOptions.Section}:Enabled", true);
        if (Environment.GetEnvironmentVariable(GatewayHosting.CustomHandlerPortVariable) is null && consumer)
        {
            var transport = new UsageTransportOptions();
            transport.Bind(builder.Configuration);
            if (transport.Kind == UsageTransportKind.ServiceBus)
            {
                builder.Services.AddHostedService<ServiceBusUsageConsumer>();
            }
            else
            {
                builder.Services.AddHostedService<StorageQueueUsageConsumer>();
            }
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapUsageIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFunctionInvocation(StorageQueueFunction, InvokeAsync);
        endpoints.MapFunctionInvocation(ServiceBusFunction, InvokeAsync);
        return endpoints;
    }

    private static async Task<JsonElement?> InvokeAsync(FunctionInvocationRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        var ingestor = services.GetRequiredService<UsageIngestor>();
        var outcomes = new List<string>();
        foreach (var body in UsageTriggerPayload.Messages(request))
        {
            var result = await ingestor.IngestAsync(body, cancellationToken);
            if (!result.IsDone)
            {
                services.GetRequiredService<UsageIngestMetrics>().Poisoned("message");
                throw new PermanentInvocationException($"Usage message cannot be read: {result.Error}");
            }

            outcomes.AddRange(result.Events.Select(e => $"{e.Outcome} {e.EventId}"));
        }

        return JsonSerializer.SerializeToElement(outcomes, IngestJsonContext.Default.ListString);
    }
}
