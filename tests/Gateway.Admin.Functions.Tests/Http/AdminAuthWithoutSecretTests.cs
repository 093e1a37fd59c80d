using System.Net;
using Gateway.Admin.Functions.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gateway.Admin.Functions.Tests.Http;

/// <summary>With no <c>Admin__Secret</c>: loopback callers only, and a startup warning saying so.</summary>
public sealed class AdminAuthWithoutSecretTests : IAsyncLifetime
{
    private AdminApi _api = null!;

    public async Task InitializeAsync() => _api = await AdminApi.StartAsync(settings => settings["Admin:Secret"] = string.Empty);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public void Startup_NoSecret_WarnsNamingTheSetting()
        => Assert.Contains(_api.Logs.Lines, l => l.Level == LogLevel.Warning && l.EventId.Id == 2001 && l.Text.Contains("Admin__Secret", StringComparison.Ordinal));

    [Fact]
    public async Task LoopbackCaller_NoHeader_IsServed()
    {
        using var client = new HttpClient { BaseAddress = _api.App.BaseAddress };

        using var response = await client.GetAsync("/api/routes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
