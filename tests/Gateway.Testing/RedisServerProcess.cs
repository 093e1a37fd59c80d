using System.Globalization;

namespace Gateway.Testing;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port, without persistence, for tests that flush
/// Redis, stop it or restart it empty. Never the shared Redis. Found at <c>GATEWAY_REDIS_SERVER</c>,
/// else <c>redis-server</c> on the PATH.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly int _port;
    private System.Diagnostics.Process? _process;

    private RedisServerProcess(int port) => _port = port;

    /// <summary>StackExchange.Redis configuration of this server (valid while it is stopped, too).</summary>
    public string ConnectionString => $"127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)},abortConnect=false";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServerProcess> StartAsync()
    {
        var redis = new RedisServerProcess(LoopbackProcess.FreePort());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts it again on the same port, empty (nothing is persisted).</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        string[] arguments = ["--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", Path.GetTempPath()];
        _process = await LoopbackProcess.StartAsync(Environment.GetEnvironmentVariable("GATEWAY_REDIS_SERVER") ?? "redis-server", arguments, _port);
    }

    /// <summary>Stops this server (only it): SIGTERM, or SIGKILL when <paramref name="kill"/>.</summary>
    public async Task StopAsync(bool kill = false)
    {
        if (_process is null)
        {
            return;
        }

        await LoopbackProcess.StopAsync(_process, kill);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync(kill: true);
}
