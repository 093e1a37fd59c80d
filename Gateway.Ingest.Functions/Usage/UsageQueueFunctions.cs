using Gateway.Domain.Hosting;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// Usage ingest's registration. The queue the proxy writes to is read, for each transport, by:
/// <list type="bullet">
/// <item>Storage queue: the <c>usage_storage_queue</c> function (<c>[QueueTrigger]</c>) under the
/// Functions host; in local mode <see cref="StorageQueueUsageConsumer"/> with the same handler
/// (<see cref="UsageIngestor"/>).</item>
/// <item>Service Bus: <see cref="ServiceBusUsageProcessor"/> (a <c>ServiceBusProcessor</c>) in both
/// modes: the Service Bus trigger extension cannot be restored for this project, so there is no
/// Service Bus function (infra/README.md: how to switch to <c>[ServiceBusTrigger]</c>).</item>
/// </list>
/// A deployment on Service Bus disables the Storage queue function with the app setting
/// <c>AzureWebJobs.usage_storage_queue.Disabled = true</c> (the name uses '_': on Linux a function
/// whose name contains '-' cannot be disabled by that setting).
/// </summary>
internal static class UsageQueueFunctions
{
    public const string StorageQueueFunction = "usage_storage_queue";

    /// <summary>The trigger's settings, as the Functions host resolves them (<c>%name%</c> = an app setting).</summary>
    public const string QueueNameExpression = "%" + UsageTransportOptions.QueueNameSetting + "%";

    public static IHostApplicationBuilder AddUsageIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGatewayUsageIngest(builder.Configuration);
        builder.Services.AddOptions<UsageConsumerOptions>().Bind(builder.Configuration.GetSection(UsageConsumerOptions.Section)).ValidateOnStart();
        builder.Services.AddSettingsValidator(UsageConsumerOptions.Section, new UsageConsumerOptionsValidator());
        builder.Services.AddSingleton(new LocalTrigger(StorageQueueFunction, "queueTrigger", new Dictionary<string, string>
        {
            ["queueName"] = QueueNameExpression,
            ["connection"] = UsageTransportOptions.StorageSetting,
        }));

        if (!builder.Configuration.GetValue($"{UsageConsumerOptions.Section}:Enabled", true))
        {
            return builder;
        }

        var transport = new UsageTransportOptions();
        transport.Bind(builder.Configuration);
        if (transport.Kind == UsageTransportKind.ServiceBus)
        {
            // Both modes: no Service Bus trigger can be built here.
            builder.Services.AddHostedService<ServiceBusUsageProcessor>();
        }
        else if (!builder.IsUnderFunctionsHost())
        {
            // Local mode's stand-in for the queue trigger.
            builder.Services.AddHostedService<StorageQueueUsageConsumer>();
        }

        return builder;
    }
}
