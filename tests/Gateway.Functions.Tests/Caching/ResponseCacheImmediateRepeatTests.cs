using System.Net;
using Gateway.Functions.Tests.Proxy;
using static Gateway.Functions.Tests.Caching.CacheTestClient;

namespace Gateway.Functions.Tests.Caching;

/// <summary>
/// A client that sends the same request again as soon as it has read the first answer gets a hit.
/// On a miss that is being captured the proxy does not pass the upstream's Content-Length on (the
/// fake sends one), so the body ends when the request's steps do, after the cache store step: the
/// client cannot see the end first, however slow the store is.
/// </summary>
public sealed class ResponseCacheImmediateRepeatTests : IAsyncLifetime
{
    private const int Rounds = 12;

    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SameRequestRightAfterTheAnswer_IsAHitEveryTime(bool stream)
    {
        var outcomes = new List<string?>();
        for (var i = 0; i < Rounds; i++)
        {
            var body = Chat($"repeat {stream} {i}", temperature: 0, stream: stream);
            var first = await PostAsync(_host.BaseAddress, _rawKey, ChatPath, body);
            var second = await PostAsync(_host.BaseAddress, _rawKey, ChatPath, body);
            Assert.Equal(HttpStatusCode.OK, first.Status);
            Assert.Equal(HttpStatusCode.OK, second.Status);
            Assert.Equal("MISS", first.Cached);
            Assert.True(first.Chunked, "a captured miss ends with the request's steps, not at the upstream's Content-Length");
            outcomes.Add(second.Cached);
        }

        Assert.All(outcomes, cached => Assert.Equal("HIT", cached));
        Assert.Equal(Rounds, _host.Upstream.Requests.Count);
    }
}
