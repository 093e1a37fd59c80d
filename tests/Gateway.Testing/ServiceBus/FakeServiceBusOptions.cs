namespace Gateway.Testing.ServiceBus;

/// <summary>How <see cref="FakeServiceBusServer"/> behaves: its identity, its keys, its limits and its clock.</summary>
public sealed class FakeServiceBusOptions
{
    /// <summary>The namespace the fake pretends to be: SAS tokens must name it in <c>sr</c>.</summary>
    public string NamespaceHost { get; set; } = "fake-gateway.servicebus.windows.net";

    /// <summary>Shared access policies (key name to key) whose signatures the fake accepts.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal)
    {
        ["RootManageSharedAccessKey"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
    };

    /// <summary>The one Microsoft Entra ID access token the fake accepts as <c>Authorization: Bearer</c>.</summary>
    public string BearerToken { get; set; } = "fake-entra-token-" + Guid.NewGuid().ToString("N");

    /// <summary>Largest request body, single message or batch (Standard tier: 256 KiB); larger gets 413.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>Lock duration of queues created without one (the service's default is 1 minute).</summary>
    public TimeSpan DefaultLockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>MaxDeliveryCount of queues created without one (the service's default is 10).</summary>
    public int DefaultMaxDeliveryCount { get; set; } = 10;

    /// <summary>The clock of SAS expiry, enqueue times, lock expiry and TTL; a FakeTimeProvider makes them deterministic.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
