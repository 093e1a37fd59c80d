using Gateway.Domain.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Domain.Caching;

/// <summary>
/// Sealed entries in Redis: one string per entry at <c>{prefix}cache:{slot}</c> with its TTL,
/// never larger than <see cref="ResponseCacheOptions.MaxEntryBytes"/> (plus the entry's framing).
/// Every failure (Redis down, slow, refusing) is a miss or a skipped store: logged, counted, never
/// thrown to the request.
/// </summary>
public sealed partial class ResponseCacheStore : IAsyncDisposable
{
    private const string KeyPrefix = "cache:";

    // Sealing adds a JSON envelope, base64 of a JSON body and the GCM framing to the delivered bytes.
    private const int EnvelopeAllowance = 2;

    private readonly RedisConnection _redis;
    private readonly RedisConnection? _own;
    private readonly ResponseCacheOptions _options;
    private readonly ResponseCacheMetrics _metrics;
    private readonly ILogger<ResponseCacheStore> _logger;

    public ResponseCacheStore(RedisConnection redis, IOptions<ResponseCacheOptions> options, ResponseCacheMetrics metrics, ILogger<ResponseCacheStore> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (!string.IsNullOrWhiteSpace(_options.ConnectionString))
        {
            _own = new RedisConnection(Options.Create(new RedisOptions { ConnectionString = _options.ConnectionString, KeyPrefix = redis.KeyPrefix }));
        }

        _redis = _own ?? redis;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The Redis key of a slot (for tests that inspect what is stored).</summary>
    public RedisKey KeyOf(string slot) => _redis.Key(KeyPrefix + slot);

    public async ValueTask<byte[]?> GetAsync(string slot, CancellationToken cancellationToken)
    {
        try
        {
            var db = await _redis.GetDatabaseAsync().AsTask().WaitAsync(_options.RedisTimeout, cancellationToken);
            var value = await db.StringGetAsync(KeyOf(slot)).WaitAsync(_options.RedisTimeout, cancellationToken);
            return value.IsNull ? null : (byte[]?)value;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _metrics.Failed("get");
            LogFailed(_logger, "get", ex.GetType().Name, ex.Message);
            return null;
        }
    }

    /// <summary>Stores <paramref name="entry"/>; false when it is too large or Redis failed.</summary>
    public async ValueTask<bool> SetAsync(string slot, byte[] entry, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Length > (long)_options.MaxEntryBytes * EnvelopeAllowance)
        {
            _metrics.Skipped("too_large");
            return false;
        }

        try
        {
            var db = await _redis.GetDatabaseAsync().AsTask().WaitAsync(_options.RedisTimeout, cancellationToken);
            await db.StringSetAsync(KeyOf(slot), entry, ttl).WaitAsync(_options.RedisTimeout, cancellationToken);
            _metrics.Store();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _metrics.Failed("set");
            LogFailed(_logger, "set", ex.GetType().Name, ex.Message);
            return false;
        }
    }

    public ValueTask DisposeAsync() => _own?.DisposeAsync() ?? ValueTask.CompletedTask;

    [LoggerMessage(1500, LogLevel.Warning, "Response cache {Operation} failed ({Error}: {Message}); served as a miss")]
    private static partial void LogFailed(ILogger logger, string operation, string error, string message);
}
