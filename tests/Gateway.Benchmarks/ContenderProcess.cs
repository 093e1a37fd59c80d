using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Benchmarks;

/// <summary>
/// A proxy under test as its own process, pinned to core 0 with <c>taskset</c> so that the load
/// generator and the upstream (this process, on the other core) do not compete with it; its CPU
/// time and peak memory are read from <c>/proc</c>.
/// </summary>
internal sealed class ContenderProcess : IAsyncDisposable
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat (getconf CLK_TCK); 100 on Linux.
    private const double ClockTicksPerSecond = 100;

    private readonly Process _process;

    private ContenderProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c> on core 0 with <paramref name="runtimeSettings"/> and waits for <c>/api/health</c>.</summary>
    public static async Task<ContenderProcess> StartAsync(string name, string dll, IEnumerable<string> arguments, IDictionary<string, string> environment, IReadOnlyDictionary<string, string> runtimeSettings, int port)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: build it first (see tests/Gateway.Benchmarks/README.md)");
        }

        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "0", "dotnet", dll }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // The same runtime settings for every contender: the gateway's (RuntimeSettings). A variable
        // already set in this program's environment wins, for trying other settings on both.
        foreach (var (key, value) in runtimeSettings)
        {
            start.Environment.TryAdd(key, value);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{name}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var contender = new ContenderProcess(process, port);
        using var client = new HttpClient { BaseAddress = contender.BaseAddress };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
                return contender;
            }
            catch (HttpRequestException)
            {
                if (process.HasExited)
                {
                    break;
                }

                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"{name} did not start");
    }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/stat");
        // Fields after the command name (which may hold spaces) start at state (field 3); utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>Peak resident memory (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
