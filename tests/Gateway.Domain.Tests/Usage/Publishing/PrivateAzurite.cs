using Gateway.Testing;

namespace Gateway.Domain.Tests.Usage.Publishing;

/// <summary>
/// A private Azurite for one test class: the publisher tests measure and count what is on the queue,
/// which a shared Azurite busy with everyone's tests makes slow and unpredictable.
/// </summary>
public sealed class PrivateAzurite : IAsyncLifetime
{
    public AzuriteProcess Azurite { get; private set; } = null!;

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => Azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}
