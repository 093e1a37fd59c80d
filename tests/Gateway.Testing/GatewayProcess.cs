using System.Diagnostics;
using System.Globalization;

namespace Gateway.Testing;

/// <summary>
/// One of the gateway's apps as its own OS process (its build output, standalone mode) on a free
/// loopback port, for tests that need a real crash (SIGKILL) or a real graceful stop (SIGTERM).
/// Settings are passed as environment variables (<c>Section__Key</c>); the process runs in an empty
/// folder so that no <c>local.settings.json</c> is read.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly Dictionary<string, string?> _settings;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gateway-app-" + Guid.NewGuid().ToString("n"));
    private Process? _process;

    private GatewayProcess(string dll, Dictionary<string, string?> settings, int port)
    {
        _dll = dll;
        _settings = settings;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        Directory.CreateDirectory(_folder);
    }

    public Uri BaseAddress { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <param name="project">The app's project folder, e.g. <c>Gateway.Ingest.Functions</c>.</param>
    /// <param name="app">Its name in <c>Ports__{app}</c>: <c>Proxy</c>, <c>Admin</c> or <c>Ingest</c>.</param>
    /// <param name="settings">Configuration keys (<c>:</c> or <c>__</c>) and values.</param>
    public static async Task<GatewayProcess> StartAsync(string project, string app, IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = typeof(GatewayProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .Cast<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";
        var dll = RepoPaths.Combine(project, "bin", configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built: build {project} first.");
        }

        var port = LoopbackProcess.FreePort();
        var all = new Dictionary<string, string?>(settings) { [$"Ports:{app}"] = port.ToString(CultureInfo.InvariantCulture) };
        var process = new GatewayProcess(dll, all, port);
        await process.StartAgainAsync();
        return process;
    }

    /// <summary>Starts it again (after a kill or a stop) with the same settings and port.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_dll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(90))
                {
                    throw new InvalidOperationException($"{Path.GetFileName(_dll)} did not answer on {BaseAddress} (exited: {_process.HasExited}).", ex);
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>A crash: SIGKILL, nothing flushed, nothing settled.</summary>
    public Task KillAsync() => StopAsync(kill: true);

    /// <summary>A graceful stop: SIGTERM and up to <paramref name="patience"/> to exit (then SIGKILL); returns how long it took.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan patience)
    {
        var watch = Stopwatch.StartNew();
        await StopAsync(kill: false, patience);
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kill: true);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up with the temp folder later.
        }
    }

    private async Task StopAsync(bool kill, TimeSpan? patience = null)
    {
        if (_process is null)
        {
            return;
        }

        await LoopbackProcess.StopAsync(_process, kill, patience);
        _process.Dispose();
        _process = null;
    }
}
