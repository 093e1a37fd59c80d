using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Testing.ServiceBus;

/// <summary>
/// An in-memory Azure Service Bus namespace speaking the documented REST runtime API on real Kestrel at
/// <c>127.0.0.1:0</c>, plain http and https (a self-signed certificate: Azure.Core sends bearer tokens
/// over https only). Like a real server it enforces the contract rather than trusting the client:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>401 for a missing or malformed SAS, a wrong signature, an expired <c>se</c>, an <c>sr</c> that does
/// not cover the entity, an unknown key name, or a bearer token other than <see cref="BearerToken"/>.</item>
/// <item>Send Message (201); Send Message Batch (201) only as <c>application/vnd.microsoft.servicebus.json</c>
/// without parameters and a non-empty JSON array of <c>{"Body": string, "BrokerProperties"?: {},
/// "UserProperties"?: {}}</c>, else 400; a body over <see cref="FakeServiceBusOptions.MaxMessageBytes"/> is 413.</item>
/// <item>Peek-Lock (201 with BrokerProperties and Location, 204 after <c>timeout</c> seconds), Delete Message,
/// Unlock Message and Renew-Lock (200; 404 for an unknown message id or lock token, including a lock that
/// expired); 410 for an entity that was not created; <c>{queue}/$deadletterqueue</c> is a readable subqueue.</item>
/// </list>
/// Deviations from the service: one shared clock for SAS, locks and TTL; no sessions, topics, scheduling,
/// duplicate detection or receive-and-delete; every key has Send and Listen rights; the long poll of
/// Peek-Lock waits in real time.
/// </remarks>
public sealed partial class FakeServiceBusServer : IAsyncDisposable
{
    private const string DeadLetterSuffix = "/$deadletterqueue";

    private readonly WebApplication _app;
    private readonly FakeServiceBusOptions _options;
    private readonly X509Certificate2 _certificate;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeServiceBusQueue> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakeServiceBusRequest> _requests = [];

    private FakeServiceBusServer(WebApplication app, FakeServiceBusOptions options, X509Certificate2 certificate)
    {
        _app = app;
        _options = options;
        _certificate = certificate;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri HttpEndpoint { get; private set; } = null!;

    /// <summary><c>https://127.0.0.1:{port}/</c>; trust it with <see cref="CreateTrustingHandler"/>.</summary>
    public Uri HttpsEndpoint { get; private set; } = null!;

    public string NamespaceHost => _options.NamespaceHost;

    /// <summary>The first configured shared access policy's name.</summary>
    public string KeyName => _options.Keys.Keys.First();

    /// <summary>The first configured shared access policy's key.</summary>
    public string Key => _options.Keys[KeyName];

    public string BearerToken => _options.BearerToken;

    /// <summary>A namespace-level connection string for this fake (send requests to <see cref="HttpEndpoint"/>).</summary>
    public string ConnectionString => $"Endpoint=sb://{NamespaceHost}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key}";

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<FakeServiceBusRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    public static async Task<FakeServiceBusServer> StartAsync(FakeServiceBusOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeServiceBusOptions();
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        builder.WebHost.UseUrls("http://127.0.0.1:0", "https://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeServiceBusServer(app, options, certificate);
        app.Map("/{**path}", server.HandleAsync);
        await app.StartAsync(cancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        server.HttpEndpoint = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)) + "/");
        server.HttpsEndpoint = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)) + "/");
        return server;
    }

    /// <summary>Creates a queue (and its dead-letter subqueue); requests to entities never created get 410.</summary>
    public void CreateQueue(string name, int? maxDeliveryCount = null, TimeSpan? lockDuration = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var lockFor = lockDuration ?? _options.DefaultLockDuration;
        var deadLetters = new FakeServiceBusQueue(name + DeadLetterSuffix, int.MaxValue, lockFor, deadLetterQueue: null);
        lock (_gate)
        {
            _queues.Add(name, new FakeServiceBusQueue(name, maxDeliveryCount ?? _options.DefaultMaxDeliveryCount, lockFor, deadLetters));
        }
    }

    /// <summary>The messages in a queue, locked or not, in sequence order.</summary>
    public IReadOnlyList<FakeServiceBusMessage> GetMessages(string queue)
    {
        lock (_gate)
        {
            return _queues[queue].Snapshot(_options.TimeProvider.GetUtcNow());
        }
    }

    /// <summary>The messages the broker moved to a queue's dead-letter subqueue.</summary>
    public IReadOnlyList<FakeServiceBusMessage> GetDeadLetteredMessages(string queue)
    {
        lock (_gate)
        {
            var now = _options.TimeProvider.GetUtcNow();
            _queues[queue].Snapshot(now); // applies lock expiry, which may dead-letter
            return _queues[queue].DeadLetterQueue!.Snapshot(now);
        }
    }

    /// <summary>A handler that trusts this fake's self-signed certificate, and only it.</summary>
    public HttpMessageHandler CreateTrustingHandler()
    {
        var thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private FakeServiceBusQueue? FindEntity(string entityPath)
    {
        if (entityPath.EndsWith(DeadLetterSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return _queues.GetValueOrDefault(entityPath[..^DeadLetterSuffix.Length])?.DeadLetterQueue;
        }

        return _queues.GetValueOrDefault(entityPath);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
