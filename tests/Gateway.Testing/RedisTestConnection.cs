using Gateway.Domain.Redis;
using Microsoft.Extensions.Options;

namespace Gateway.Testing;

/// <summary>A <see cref="RedisConnection"/> under a key prefix no other test uses.</summary>
public static class RedisTestConnection
{
    public static string NewPrefix() => TestEnvironment.UniqueName("gwtest:") + ":";

    public static RedisConnection Create(string prefix) => new(Options.Create(new RedisOptions
    {
        ConnectionString = TestEnvironment.RedisConnectionString,
        KeyPrefix = prefix,
    }));
}
