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
        var configuration = ConfigurationOptions.Parse(options.Value.ConnectionString);
        configuration.AbortOnConnectFail = false;
        _multiplexer = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(configuration));
    }

    public string KeyPrefix { get; }

    public async ValueTask<IDatabase> GetDatabaseAsync() => (await _multiplexer.Value).GetDatabase();

    public async ValueTask<ISubscriber> GetSubscriberAsync() => (await _multiplexer.Value).GetSubscriber();

    public RedisKey Key(string name) => KeyPrefix + name;

    public RedisChannel Channel(string name) => RedisChannel.Literal(KeyPrefix + name);

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            var multiplexer = await _multiplexer.Value;
            await multiplexer.DisposeAsync();
        }
    }
}
