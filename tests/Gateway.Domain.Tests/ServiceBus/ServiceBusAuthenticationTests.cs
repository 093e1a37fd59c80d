using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gateway.Domain.Queues.ServiceBus;
using Gateway.Testing.ServiceBus;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Domain.Tests.ServiceBus;

/// <summary>SAS and Microsoft Entra ID authentication, end to end against the fake that checks them.</summary>
public sealed class ServiceBusAuthenticationTests : IAsyncLifetime
{
    private const string Queue = "usage-events";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private FakeServiceBusServer _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeServiceBusServer.StartAsync(new FakeServiceBusOptions { TimeProvider = _time });
        _fake.CreateQueue(Queue);
        _fake.CreateQueue("other-queue");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task SendAsync_ValidKey_FakeAcceptsSasScopedToQueue()
    {
        await CreateSasClient(_fake.ConnectionString).SendAsync(new ServiceBusRestMessage("x"));

        var authorization = Assert.Single(_fake.Requests).Header("Authorization")!;
        Assert.StartsWith($"SharedAccessSignature sr=https%3A%2F%2F{_fake.NamespaceHost}%2F{Queue}&sig=", authorization, StringComparison.Ordinal);
        Assert.EndsWith($"&skn={_fake.KeyName}", authorization, StringComparison.Ordinal);
        Assert.Single(_fake.GetMessages(Queue));
    }

    [Fact]
    public async Task SendAsync_WrongKey_Throws401WithoutRetry()
    {
        var wrongKey = $"Endpoint=sb://{_fake.NamespaceHost}/;SharedAccessKeyName={_fake.KeyName};SharedAccessKey=not-the-key";

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => CreateSasClient(wrongKey).SendAsync(new ServiceBusRestMessage("x")));

        Assert.Equal(401, error.Status);
        Assert.Single(_fake.Requests);
        Assert.Empty(_fake.GetMessages(Queue));
    }

    [Fact]
    public async Task ReceiveAsync_UnknownKeyName_Throws401()
    {
        var unknownPolicy = $"Endpoint=sb://{_fake.NamespaceHost}/;SharedAccessKeyName=nobody;SharedAccessKey={_fake.Key}";

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => CreateSasClient(unknownPolicy).ReceiveAsync(TimeSpan.Zero));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task SendAsync_AfterTokenLifetimePasses_RenewsTokenAndFakeAcceptsIt()
    {
        var client = CreateSasClient(_fake.ConnectionString);
        await client.SendAsync(new ServiceBusRestMessage("first"));

        _time.Advance(TimeSpan.FromHours(2)); // the first token expired an hour ago on the fake's clock

        await client.SendAsync(new ServiceBusRestMessage("second"));
        Assert.Equal([201, 201], _fake.Requests.Select(r => r.StatusCode));
        Assert.True(Expiry(_fake.Requests[1].Header("Authorization")!) > _time.GetUtcNow().ToUnixTimeSeconds());
        Assert.Equal(2, _fake.GetMessages(Queue).Count);
    }

    [Fact]
    public async Task FakeServer_ExpiredToken_Rejects401()
    {
        var expired = ServiceBusSasTokenProvider.CreateToken($"https://{_fake.NamespaceHost}/{Queue}", _fake.KeyName, _fake.Key, _time.GetUtcNow().AddSeconds(-1));

        var (status, body) = await PostRawAsync(Queue, expired);

        Assert.Equal(401, status);
        Assert.Contains("ExpiredToken", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeServer_TokenForAnotherQueue_Rejects401()
    {
        var otherQueue = ServiceBusSasTokenProvider.CreateToken($"https://{_fake.NamespaceHost}/other-queue", _fake.KeyName, _fake.Key, _time.GetUtcNow().AddHours(1));

        var (status, body) = await PostRawAsync(Queue, otherQueue);

        Assert.Equal(401, status);
        Assert.Contains("InvalidAudience", body, StringComparison.Ordinal);
        Assert.Equal(201, (await PostRawAsync("other-queue", otherQueue)).Status);
    }

    [Fact]
    public async Task FakeServer_MissingOrMalformedOrTamperedSas_Rejects401()
    {
        var valid = ServiceBusSasTokenProvider.CreateToken($"https://{_fake.NamespaceHost}/{Queue}", _fake.KeyName, _fake.Key, _time.GetUtcNow().AddHours(1));
        var longerExpiry = valid.Replace($"&se={Expiry(valid)}", $"&se={Expiry(valid) + 3600}", StringComparison.Ordinal);

        Assert.Equal(401, (await PostRawAsync(Queue, null)).Status);
        Assert.Equal(401, (await PostRawAsync(Queue, "SharedAccessSignature sr=x&sig=y")).Status);
        Assert.Equal(401, (await PostRawAsync(Queue, longerExpiry)).Status);
        Assert.Equal(201, (await PostRawAsync(Queue, valid)).Status);
    }

    [Fact]
    public async Task SendAsync_EntraCredential_SendsBearerTokenForServiceBusScope()
    {
        var credential = new FakeTokenCredential(_fake.BearerToken);
        var client = CreateEntraClient(credential);

        await client.SendAsync(new ServiceBusRestMessage("via entra"));

        Assert.Equal("Bearer " + _fake.BearerToken, Assert.Single(_fake.Requests).Header("Authorization"));
        Assert.Equal(["https://servicebus.azure.net/.default"], credential.RequestedScopes.Distinct());
        Assert.Equal("via entra", Assert.Single(_fake.GetMessages(Queue)).BodyAsString());
    }

    [Fact]
    public async Task SendAsync_EntraCredentialWithWrongToken_Throws401()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => CreateEntraClient(new FakeTokenCredential("someone-else")).SendAsync(new ServiceBusRestMessage("x")));

        Assert.Equal(401, error.Status);
        Assert.Empty(_fake.GetMessages(Queue));
    }

    [Fact]
    public void Constructor_EntraCredentialOverPlainHttp_Throws()
    {
        var options = new ServiceBusOptions { FullyQualifiedNamespace = _fake.NamespaceHost, QueueName = Queue, Endpoint = _fake.HttpEndpoint };

        Assert.Throws<ArgumentException>(() => new ServiceBusRestClient(options, new FakeTokenCredential("t")));
    }

    private ServiceBusRestClient CreateSasClient(string connectionString)
        => new(
            new ServiceBusOptions { ConnectionString = connectionString, QueueName = Queue, Endpoint = _fake.HttpEndpoint },
            clientOptions: new ServiceBusRestClientOptions { Retry = { Delay = TimeSpan.FromMilliseconds(10) } },
            timeProvider: _time);

    private ServiceBusRestClient CreateEntraClient(TokenCredential credential)
        => new(
            new ServiceBusOptions { FullyQualifiedNamespace = _fake.NamespaceHost, QueueName = Queue, Endpoint = _fake.HttpsEndpoint },
            credential,
            new ServiceBusRestClientOptions { Retry = { Delay = TimeSpan.FromMilliseconds(10) }, Transport = new HttpClientTransport(_fake.CreateTrustingHandler()) });

    private async Task<(int Status, string Body)> PostRawAsync(string queue, string? authorization)
    {
        using var http = new HttpClient { BaseAddress = _fake.HttpEndpoint };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{queue}/messages") { Content = new StringContent("raw") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static long Expiry(string token)
        => long.Parse(token.Split('&').Single(p => p.StartsWith("se=", StringComparison.Ordinal))["se=".Length..], CultureInfo.InvariantCulture);

    /// <summary>Stands in for DefaultAzureCredential: hands out one fixed access token and records the scopes asked for.</summary>
    private sealed class FakeTokenCredential(string token) : TokenCredential
    {
        public List<string> RequestedScopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (RequestedScopes)
            {
                RequestedScopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
