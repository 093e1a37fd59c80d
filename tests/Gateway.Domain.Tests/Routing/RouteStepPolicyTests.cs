using Gateway.Domain.Routing;
using Gateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Domain.Tests.Routing;

public sealed class RouteStepPolicyTests
{
    private static Route RouteWith(string? strategy, RouteStep step) => new() { Id = "r1", Path = "/chat", RetryStrategy = strategy, Steps = [step] };

    [Fact]
    public void For_ReadsRetriesIntervalTimeoutAndStrategy()
    {
        var step = new RouteStep { Provider = "openai", Model = "gpt-4o", Retries = 2, RetryInterval = "250ms", Timeout = "3s" };

        var policy = RouteStepPolicy.For(RouteWith("exponential", step), step);

        Assert.Equal(new RouteStepPolicy(2, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3), Exponential: true), policy);
    }

    [Fact]
    public void For_Defaults_ConstantOneSecondNoTimeout()
    {
        var step = new RouteStep { Provider = "openai", Model = "gpt-4o" };

        var policy = RouteStepPolicy.For(RouteWith(null, step), step);

        Assert.Equal(new RouteStepPolicy(0, TimeSpan.FromSeconds(1), null, Exponential: false), policy);
    }

    [Fact]
    public void ShouldRetry_RetryAfterShorterThanTimeout_Retries()
    {
        var policy = new RouteStepPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), false);

        Assert.True(policy.ShouldRetry(AttemptOutcome.FromStatus(429, TimeSpan.FromSeconds(1))));
        Assert.False(policy.ShouldRetry(AttemptOutcome.FromStatus(429, TimeSpan.FromSeconds(5))));
        Assert.False(policy.ShouldRetry(AttemptOutcome.FromStatus(503, TimeSpan.FromMinutes(1))));
        Assert.False(policy.ShouldRetry(AttemptOutcome.FromStatus(400)));
        Assert.True(policy.ShouldRetry(AttemptOutcome.NoResponse));
    }

    [Fact]
    public async Task Pipeline_RetriesRetryableOutcomes_UpToRetriesThenGivesTheLastOne()
    {
        var pipeline = new RouteStepPolicy(2, TimeSpan.FromMilliseconds(1), null, false).BuildPipeline(TimeProvider.System);
        var calls = 0;

        var outcome = await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(AttemptOutcome.FromStatus(500)); });

        Assert.Equal(3, calls);
        Assert.Equal(500, outcome.Status);
    }

    [Fact]
    public async Task Pipeline_ClientErrorOrSuccess_IsNotRetried()
    {
        var pipeline = new RouteStepPolicy(3, TimeSpan.FromMilliseconds(1), null, false).BuildPipeline(TimeProvider.System);
        var calls = 0;

        var outcome = await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(AttemptOutcome.FromStatus(calls == 1 ? 503 : 400)); });

        Assert.Equal(2, calls);
        Assert.Equal(400, outcome.Status);
    }

    [Fact]
    public async Task Pipeline_WaitsRetryAfterRatherThanTheInterval()
    {
        var time = new FakeTimeProvider();
        var pipeline = new RouteStepPolicy(1, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), false).BuildPipeline(time);
        var calls = 0;

        var running = pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(calls == 1 ? AttemptOutcome.FromStatus(429, TimeSpan.FromSeconds(2)) : AttemptOutcome.FromStatus(200)); }).AsTask();

        await Eventually.AssertAsync(() => calls == 1, TimeSpan.FromSeconds(5), "the first attempt ran");
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromSeconds(1));
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, calls);
        Assert.True(outcome.IsSuccess);
    }

    [Fact]
    public async Task Pipeline_RetryAfterAsLongAsTheTimeout_EndsTheStepWithoutWaiting()
    {
        var pipeline = new RouteStepPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2), false).BuildPipeline(new FakeTimeProvider());
        var calls = 0;

        var outcome = await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(AttemptOutcome.FromStatus(429, TimeSpan.FromSeconds(2))); });

        Assert.Equal(1, calls);
        Assert.Equal(429, outcome.Status);
    }

    [Fact]
    public void Pipelines_SameRouteObject_ReusesThePipeline_EditedRouteGetsNew()
    {
        var pipelines = new RouteRetryPipelines(TimeProvider.System);
        var step = new RouteStep { Provider = "openai", Model = "gpt-4o", Retries = 1 };
        var route = RouteWith("constant", step);
        var edited = RouteWith("constant", new RouteStep { Provider = "openai", Model = "gpt-4o", Retries = 4 });

        Assert.Same(pipelines.For(route, 0).Pipeline, pipelines.For(route, 0).Pipeline);
        Assert.Equal(4, pipelines.For(edited, 0).Policy.Retries);
    }
}
