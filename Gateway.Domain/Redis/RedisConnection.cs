using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Domain.Redis;

/// <summary>
/// The process's one <see cref="ConnectionMultiplexer"/>, connected on first use. It does not
/// abort when Redis is down at startup: StackExchange.Redis keeps reconnecting in the background,
/// and callers see <see cref="RedisConnectionException"/> until it is back.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;

    public RedisConnection(IOptions<RedisOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        KeyPrefix = options.Value.KeyPrefix;
        _multiplexer = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(CreateConfiguration(options.Value.ConnectionString)));
    }

    public string KeyPrefix { get; }

    public ValueTask<IDatabase> GetDatabaseAsync()
    {
        // Connected (every call but the first few): no state machine on the limits call's path.
        var connecting = _multiplexer.Value;
        return connecting.IsCompletedSuccessfully ? ValueTask.FromResult(connecting.Result.GetDatabase()) : AwaitDatabaseAsync(connecting);

        static async ValueTask<IDatabase> AwaitDatabaseAsync(Task<ConnectionMultiplexer> connecting) => (await connecting).GetDatabase();
    }

    public async ValueTask<ISubscriber> GetSubscriberAsync() => (await _multiplexer.Value).GetSubscriber();

    /// <summary>Calls <paramref name="action"/> with the multiplexer once it exists (telemetry attaches its command profiler).</summary>
    public void WhenConnected(Action<IConnectionMultiplexer> action)
        => _multiplexer.Value.ContinueWith(t => action(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public RedisKey Key(string name) => KeyPrefix + name;

    public RedisChannel Channel(string name) => RedisChannel.Literal(KeyPrefix + name);

    /// <summary>
    /// The connection string's settings, plus what makes an outage cheap and short. Timeouts
    /// (connectTimeout, syncTimeout, asyncTimeout) stay as the connection string says; the limits
    /// call has its own, shorter one (<c>Limits__RedisTimeout</c>).
    /// </summary>
    internal static ConfigurationOptions CreateConfiguration(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;

        // While disconnected, fail commands at once instead of queueing them until the timeout:
        // a request must not wait 5 s for a Redis that is down, and a queued limit script must not
        // run (and count) after its request was already answered by the fallback.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;

        // The default (exponential from connectTimeout / 2, up to 10 s) can leave a proxy off Redis
        // for many seconds after Redis is back; retry every half second, checked on a 500 ms
        // heartbeat, so that reconnecting takes about a second at most.
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.HeartbeatInterval = TimeSpan.FromMilliseconds(500);

        // Complete socket reads and writes on the .NET thread pool, not on StackExchange.Redis's own
        // 10 dedicated threads: with a Redis round trip per proxied request, handing every completion
        // to and from those threads was half of the proxy's CPU samples on one core, most of it
        // futex waits and context switches (tests/Gateway.Benchmarks/README.md, profile).
        configuration.SocketManager = SocketManager.ThreadPool;
        return configuration;
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            var multiplexer = await _multiplexer.Value;
            await multiplexer.DisposeAsync();
        }
    }
}
