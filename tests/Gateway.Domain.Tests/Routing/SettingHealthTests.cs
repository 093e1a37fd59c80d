using Gateway.Domain.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Domain.Tests.Routing;

public sealed class SettingHealthTests
{
    private readonly FakeTimeProvider _time = new();

    private SettingHealth Create() => new(Options.Create(new RotationOptions
    {
        FailureRatio = 0.5,
        MinimumThroughput = 2,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(60),
    }), _time);

    private static ValueTask<AttemptOutcome?> Run(SettingHealth health, string id, int status)
        => health.ExecuteAsync(id, static (s, _) => ValueTask.FromResult(AttemptOutcome.FromStatus(s)), status, CancellationToken.None);

    [Fact]
    public async Task RepeatedFailures_OpenTheBreaker_ForTheCoolDownOnly()
    {
        var health = Create();
        Assert.True(health.IsAvailable("bad"));

        await Run(health, "bad", 500);
        await Run(health, "bad", 503);

        Assert.False(health.IsAvailable("bad"));
        Assert.Null(await Run(health, "bad", 200));
        Assert.True(health.IsAvailable("good"));

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(health.IsAvailable("bad"));
        Assert.Equal(200, (await Run(health, "bad", 200))!.Value.Status);
        Assert.True(health.IsAvailable("bad"));
    }

    [Fact]
    public async Task ClientErrors_DoNotCountAsFailures()
    {
        var health = Create();

        for (var i = 0; i < 5; i++)
        {
            await Run(health, "s", 400);
        }

        Assert.True(health.IsAvailable("s"));
    }

    [Fact]
    public async Task FailedProbe_OpensAgain()
    {
        var health = Create();
        await Run(health, "bad", 500);
        await Run(health, "bad", 500);
        _time.Advance(TimeSpan.FromSeconds(61));

        await Run(health, "bad", 500);

        Assert.False(health.IsAvailable("bad"));
    }
}
