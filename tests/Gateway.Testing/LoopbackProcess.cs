using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Testing;

/// <summary>
/// What the private service processes of outage tests share: free loopback ports, waiting for a port
/// to listen, and stopping only the process a test started (by its id: SIGTERM, or SIGKILL for a crash).
/// </summary>
public static class LoopbackProcess
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Starts <paramref name="executable"/> with its output drained, and waits (at most a minute) until every port listens.</summary>
    public static async Task<Process> StartAsync(string executable, IEnumerable<string> arguments, params int[] ports)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (!await ListensAsync(port))
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"{Path.GetFileName(executable)} did not listen on port {port} (exited: {process.HasExited}).");
                }

                await Task.Delay(50);
            }
        }

        return process;
    }

    /// <summary>Stops the process: SIGTERM and up to <paramref name="patience"/> (10 s) to exit, or SIGKILL at once when <paramref name="kill"/>; then a kill.</summary>
    public static async Task StopAsync(Process process, bool kill = false, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited && !kill && !OperatingSystem.IsWindows())
        {
            _ = Signal(process.Id, 15);
            using var wait = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed below.
            }
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
