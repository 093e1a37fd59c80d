using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Domain.Redis;
using Microsoft.Extensions.Options;

namespace Gateway.Testing;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port, for tests that need Redis down or
/// restarted empty; never the shared server. No persistence: a restart loses every key, as an
/// Azure Cache for Redis without persistence does.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisServerProcess(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServerProcess> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gw-redis-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(directory);
        var server = new RedisServerProcess(FreePort(), directory);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A connection to this server under <paramref name="prefix"/>.</summary>
    public RedisConnection Connect(string prefix) => new(Options.Create(new RedisOptions { ConnectionString = ConnectionString, KeyPrefix = prefix }));

    /// <summary>Kills the server (SIGKILL, like a crash) and waits until the port is closed.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port, empty.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the server is running");
        }

        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", _directory, "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Kills the server and starts an empty one on the same port.</summary>
    public async Task RestartEmptyAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (read >= 5 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            if (_process is null || _process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not start");
            }

            await Task.Delay(20);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
