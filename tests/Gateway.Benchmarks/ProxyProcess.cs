using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.Testing;

namespace Gateway.Benchmarks;

/// <summary>The proxy as its own process (its Release build), so its memory can be read apart from the load generator's.</summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ProxyProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public static async Task<ProxyProcess> StartAsync(IDictionary<string, string> environment)
    {
        var dll = RepoPaths.Combine("Gateway.Functions", "bin", "Release", "net10.0", "Gateway.Functions.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: build it first (dotnet build Gateway.Functions -c Release)");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["Ports__Proxy"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("[proxy] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new ProxyProcess(process, port);
        using var client = new HttpClient { BaseAddress = proxy.BaseAddress };
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var response = await client.GetAsync("/api/health");
                return proxy;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("the proxy did not start");
    }

    /// <summary>Peak resident memory of the proxy process (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
