using System.Net;
using Gateway.Admin.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Admin.Functions.Tests.Persistence;

/// <summary>
/// Writes under a clock that does not move: a PATCH that changes nothing (not even
/// <c>updatedAt</c>) is still a 200 that writes the row through to the config cache.
/// </summary>
public sealed class FrozenClockWriteTests : IAsyncLifetime
{
    private AdminApi _api = null!;

    public async Task InitializeAsync()
        => _api = await AdminApi.StartAsync(services: services => services.AddSingleton<TimeProvider>(new FrozenTime()));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Patch_NothingChanges_Answers200WithTheKey()
    {
        var key = await _api.CreateKeyAsync(await _api.CreateSettingAsync(), extraJson: "\"tags\":[\"frozen\"]");
        var keyId = (string)key["keyId"]!;

        using var response = await _api.SendAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", "{}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"tags":["frozen"]}""");
        Assert.Equal((long)key["updatedAt"]!, (long)patched["updatedAt"]!);
    }

    private sealed class FrozenTime : TimeProvider
    {
        private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
