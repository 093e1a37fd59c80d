namespace Gateway.Admin.Functions.Tests.Support;

/// <summary>One running admin app per test class, with its own database and Redis prefix, and an openai setting to hang keys on.</summary>
public sealed class AdminApiFixture : IAsyncLifetime
{
    public AdminApi Api { get; private set; } = null!;

    /// <summary>An openai provider setting created at start.</summary>
    public string SettingId { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await AdminApi.StartAsync();
        SettingId = await Api.CreateSettingAsync();
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();
}
