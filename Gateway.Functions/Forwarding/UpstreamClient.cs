using System.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// The one long-lived HTTP client to every upstream: no proxy discovery, no redirects (an
/// upstream cannot send a credential elsewhere), no decompression (bodies pass byte for byte), no
/// cookies. Pooled connections are recycled so DNS changes are picked up.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient(IOptions<ProxyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.Value.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
