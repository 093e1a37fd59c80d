using System.Collections.Concurrent;
using System.Net;
using Gateway.Domain.Keys;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Pipeline.Steps;
using Gateway.Functions.Tests.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Functions.Tests.Pipeline;

/// <summary>The request path is the registered steps in order; a step that ends the request stops the rest (but the usage event).</summary>
public sealed class ProxyPipelineTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new(services: static services => services.AddProxyStep<BeforeLimitsProbe>(ProxyStepOrder.Limits - 1));

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public void Steps_RunInRegisteredOrder_InsertedStepTakesItsPlace()
    {
        var pipeline = _host.App.Services.GetRequiredService<ProxyPipeline>();

        Assert.Equal(
            [typeof(AuthenticateStep), typeof(AuthorizeStep), typeof(ReadBodyStep), typeof(Gateway.Functions.Privacy.PrivacyStep), typeof(Gateway.Functions.OneApi.OneApiResolveStep), typeof(EndUserStep), typeof(BeforeLimitsProbe),
             typeof(LimitsStep), typeof(Gateway.Functions.Caching.CacheStep), typeof(AttemptsStep), typeof(Gateway.Functions.OneApi.OneApiAttemptsStep), typeof(Gateway.Functions.Providers.BedrockNativeStep), typeof(ForwardStep),
             typeof(Gateway.Functions.Caching.CacheStoreStep), typeof(Gateway.Functions.Telemetry.ProxyTelemetryStep), typeof(UsageEventStep)],
            pipeline.StepTypes);
    }

    [Fact]
    public async Task RefusedByAuthorization_NeverReachesLimitsOrUpstream_ButEventIsPublished()
    {
        var probe = _host.App.Services.GetRequiredService<BeforeLimitsProbe>();
        var setting = await _host.AddSettingAsync();
        var (refused, refusedRaw) = await _host.AddKeyAsync(k => k.Limits.AllowedPaths = [new AllowedPath("/api/providers/openai/v1/embeddings", "POST")], setting);
        var (allowed, allowedRaw) = await _host.AddKeyAsync(null, setting);

        using (var client = _host.CreateClient(refusedRaw))
        using (var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var client = _host.CreateClient(allowedRaw))
        using (var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal([allowed.KeyId], probe.Reached);
        Assert.Single(_host.Upstream.Requests);
        Assert.Equal(403, (await _host.Events.WaitForAsync(e => e.KeyId == refused.KeyId)).Status);
    }

    /// <summary>Records every request that gets as far as the limits step.</summary>
    internal sealed class BeforeLimitsProbe : IProxyStep
    {
        private readonly ConcurrentQueue<string> _reached = new();

        public IReadOnlyList<string> Reached => [.. _reached];

        public ValueTask<StepResult> RunAsync(ProxyContext context)
        {
            _reached.Enqueue(context.Key!.KeyId);
            return StepResult.ContinueTask;
        }
    }
}
