using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>
/// An upstream on loopback whose every answer is the test's own handler, with no body size limit:
/// for what the fake provider does not do (bodies of hundreds of MB counted, not kept; streams
/// that stall or trickle). Point a setting's <c>baseUrl</c> at <see cref="BaseUrl"/>.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<ScriptedUpstream> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(static kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new ScriptedUpstream(app, address.TrimEnd('/'));
    }

    /// <summary>Reads the whole request body without keeping it: its length and SHA-256.</summary>
    public static async Task<(long Length, string Sha256)> DigestBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (length, Convert.ToHexString(hash.GetHashAndReset()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        await _app.DisposeAsync();
    }
}
